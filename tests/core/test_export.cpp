#include "portscope/core/export.h"

#include <algorithm>
#include <gtest/gtest.h>
#include <span>
#include <string_view>
#include <vector>

using namespace portscope::core;

namespace {

Update updateWithOneConnection(const std::string& processName, const std::string& host) {
    Update update;
    update.unixMs = 1'700'000'000'123;
    update.sourceName = "test";
    Connection connection;
    connection.id = 7;
    connection.socket.protocol = Protocol::Tcp;
    connection.socket.state = SocketState::Established;
    connection.socket.local = {IpAddress::v4(127, 0, 0, 1), 5000};
    connection.socket.remote = {IpAddress::v4(127, 0, 0, 2), 445};
    connection.socket.owner = {1540, 99};
    connection.socket.ownerStatus = OwnerStatus::Known;
    connection.socket.counters.present = true;
    connection.bytesSent = 3000;
    connection.hasRate = true;
    connection.sendBytesPerSecond = 1500;
    connection.remoteHostName = host;
    update.connections.push_back(connection);
    ProcessRow process;
    process.process.key = {1540, 99};
    process.process.name = processName;
    process.process.commandLine = processName + " --flag";
    update.processes.push_back(process);
    return update;
}

} // namespace

TEST(CsvField, DefusesFormulaInjection) {
    EXPECT_EQ(csvField("=cmd|' /C calc'!A0"), "'=cmd|' /C calc'!A0");
    EXPECT_EQ(csvField("+1"), "'+1");
    EXPECT_EQ(csvField("-2"), "'-2");
    EXPECT_EQ(csvField("@SUM(A1)"), "'@SUM(A1)");
    EXPECT_EQ(csvField("\tx"), "\"'\tx\"");
    EXPECT_EQ(csvField("plain"), "plain");
    EXPECT_EQ(csvField(""), "");
}

TEST(CsvField, DefusesFullwidthFormulaSigns) {
    // ＝ ＋ － ＠: some spreadsheets take these for = + - @.
    EXPECT_EQ(csvField("\xEF\xBC\x9DSUM(A1)"), "'\xEF\xBC\x9DSUM(A1)");
    EXPECT_EQ(csvField("\xEF\xBC\x8B"
                       "1"),
              "'\xEF\xBC\x8B"
              "1");
    EXPECT_EQ(csvField("\xEF\xBC\x8D"
                       "2"),
              "'\xEF\xBC\x8D"
              "2");
    EXPECT_EQ(csvField("\xEF\xBC\xA0"
                       "x"),
              "'\xEF\xBC\xA0"
              "x");
    EXPECT_EQ(csvField("a\xEF\xBC\x9D"
                       "1"),
              "a\xEF\xBC\x9D"
              "1")
        << "only at the start";
    EXPECT_EQ(csvField("\xEF\xBC\xA1"), "\xEF\xBC\xA1") << "fullwidth A is no formula";
    EXPECT_EQ(defuseFormula("\xEF\xBC\x9D"
                            "1"),
              "'\xEF\xBC\x9D"
              "1");
    EXPECT_EQ(defuseFormula("\r=1"), "'\r=1");
    EXPECT_EQ(defuseFormula("plain"), "plain");
}

TEST(CsvField, QuotesSeparatorsAndQuotes) {
    EXPECT_EQ(csvField("a,b"), "\"a,b\"");
    EXPECT_EQ(csvField("say \"hi\""), "\"say \"\"hi\"\"\"");
    EXPECT_EQ(csvField("two\nlines"), "\"two\nlines\"");
    EXPECT_EQ(csvField(" padded"), "\" padded\"");
}

TEST(TerminalText, RendersEveryControlVisiblyAndKeepsTheRest) {
    EXPECT_EQ(terminalText("\x1b]0;title\x07"), "\\x1b]0;title\\x07");
    EXPECT_EQ(terminalText("\x1b[2J"), "\\x1b[2J");
    EXPECT_EQ(terminalText(std::string("a\0b\tc\nd\re\x7f", 10)), "a\\x00b\\x09c\\x0ad\\x0de\\x7f");
    EXPECT_EQ(terminalText("csi\xC2\x9B"
                           "31m nel\xC2\x85"),
              "csi\\x9b31m nel\\x85")
        << "C1 controls";
    EXPECT_EQ(terminalText("abc\xE2\x80\xAEgpj.exe"), "abc\\u202egpj.exe")
        << "a right-to-left override";
    EXPECT_EQ(terminalText("\xE2\x81\xA6x\xE2\x80\xA8y"), "\\u2066x\\u2028y");
    EXPECT_EQ(terminalText("bad\xFF\xC0\x80"), "bad\\xff\\xc0\\x80")
        << "invalid and overlong UTF-8";
    EXPECT_EQ(terminalText("\xE2\x9C"), "\\xe2\\x9c") << "a cut character";
    const std::string fine = "caf\xC3\xA9 \xE2\x9C\x93 \xF0\x9F\x9A\x80 C:\\Temp\\x.exe \xC2\xA0";
    EXPECT_EQ(terminalText(fine), fine);
    EXPECT_EQ(terminalText(""), "");
}

TEST(JsonString, EscapesC1AndLineReorderingCharactersForTerminals) {
    EXPECT_EQ(jsonString("a\xC2\x9B"
                         "2J"),
              "\"a\\u009b2J\"");
    EXPECT_EQ(jsonString("\xE2\x80\xAEx\xE2\x80\xA9"), "\"\\u202ex\\u2029\"");
    EXPECT_EQ(jsonString("\xC2\xA0\xE2\x9C\x93"), "\"\xC2\xA0\xE2\x9C\x93\"");
}

TEST(JsonString, EscapesControlAndInvalidUtf8) {
    EXPECT_EQ(jsonString("a\"b\\c\n"), "\"a\\\"b\\\\c\\n\"");
    EXPECT_EQ(jsonString(std::string("x\x01y", 3)), "\"x\\u0001y\"");
    EXPECT_EQ(jsonString("caf\xC3\xA9"), "\"caf\xC3\xA9\"");
    EXPECT_EQ(jsonString("bad\xFF"), "\"bad\\ufffd\"");
    EXPECT_EQ(jsonString("\xC0\x80"), "\"\\ufffd\\ufffd\"");            // overlong NUL
    EXPECT_EQ(jsonString("\xED\xA0\x80"), "\"\\ufffd\\ufffd\\ufffd\""); // surrogate
}

TEST(HtmlEscape, EscapesMarkup) {
    EXPECT_EQ(htmlEscape("<script>alert('x')</script>&\""),
              "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;&quot;");
}

TEST(Format, Times) {
    EXPECT_EQ(formatUnixMs(0), "");
    EXPECT_EQ(formatUnixMs(1'700'000'000'123), "2023-11-14T22:13:20.123Z");
}

TEST(ConnectionsCsv, HasHeaderAndEscapesUntrustedNames) {
    const auto update = updateWithOneConnection("=HYPERLINK(\"http://x\")", "evil,host");
    const auto rows = exportRowsOf(update);
    const auto csv = connectionsCsv(rows);
    const auto headerEnd = csv.find("\r\n");
    ASSERT_NE(headerEnd, std::string::npos);
    EXPECT_EQ(csv.substr(0, 24), "protocol,family,state,lo");
    EXPECT_NE(csv.find("\"'=HYPERLINK(\"\"http://x\"\")\""), std::string::npos) << csv;
    EXPECT_NE(csv.find("\"evil,host\""), std::string::npos);
    EXPECT_NE(csv.find(",1540,"), std::string::npos);
    // One header line and one row, each with one field per name.
    EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'), 2);
}

// CSV has one separator, the comma, which is the one csvField quotes for: a caller cannot
// pick another that the fields would not be quoted against.
template <typename... Args>
constexpr bool csvAccepts = requires(Args... args) {
    connectionsCsv(args...);
};
static_assert(csvAccepts<std::span<const ExportRow>>);
static_assert(!csvAccepts<std::span<const ExportRow>, char>);

// The fields of one CSV line per RFC 4180.
std::vector<std::string> parseCsvLine(std::string_view line) {
    std::vector<std::string> fields(1);
    bool quoted = false;
    for (std::size_t i = 0; i < line.size(); ++i) {
        const char c = line[i];
        if (quoted && c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
            fields.back() += '"';
            ++i;
        } else if (c == '"') {
            quoted = !quoted;
        } else if (c == ',' && !quoted) {
            fields.emplace_back();
        } else {
            fields.back() += c;
        }
    }
    return fields;
}

TEST(ConnectionsCsv, EveryRowParsesBackToItsFieldsWhateverTheNamesHold) {
    const std::string name = "a,b;c|d\te\"f\" g ";
    const auto update = updateWithOneConnection(name, "h,o;s|t");
    const auto rows = exportRowsOf(update);
    const std::string csv = connectionsCsv(rows);
    const auto headerEnd = csv.find("\r\n");
    const auto rowEnd = csv.find("\r\n", headerEnd + 2);
    ASSERT_NE(rowEnd, std::string::npos);
    const auto header = parseCsvLine(std::string_view(csv).substr(0, headerEnd));
    const auto fields =
        parseCsvLine(std::string_view(csv).substr(headerEnd + 2, rowEnd - headerEnd - 2));
    ASSERT_EQ(header.size(), connectionFieldNames().size());
    ASSERT_EQ(fields.size(), header.size()) << csv;
    const auto column = [&](std::string_view field) {
        return static_cast<std::size_t>(std::find(header.begin(), header.end(), field) -
                                        header.begin());
    };
    EXPECT_EQ(fields[column("process")], name);
    EXPECT_EQ(fields[column("remote_host")], "h,o;s|t");
}

TEST(UpdateJson, ListsConnectionAndOwner) {
    const auto update = updateWithOneConnection("spollsv.exe", "");
    const auto rows = exportRowsOf(update);
    const auto json = updateJson(update, rows);
    EXPECT_NE(json.find("\"pid\":1540"), std::string::npos);
    EXPECT_NE(json.find("\"name\":\"spollsv.exe\""), std::string::npos);
    EXPECT_NE(json.find("\"remote_port\":445"), std::string::npos);
    EXPECT_NE(json.find("\"remote_host\":null"), std::string::npos);
    EXPECT_NE(json.find("\"send_rate\":1500.0"), std::string::npos);
    EXPECT_NE(json.find("\"bytes_sent\":3000"), std::string::npos);
}

TEST(HtmlReport, EscapesEveryUntrustedField) {
    const auto update = updateWithOneConnection("<img src=x onerror=alert(1)>", "<b>host</b>");
    const auto rows = exportRowsOf(update);
    const auto html = htmlReport(update, rows, "Report <for> & \"you\"");
    EXPECT_EQ(html.find("<img"), std::string::npos);
    EXPECT_EQ(html.find("<b>host"), std::string::npos);
    EXPECT_NE(html.find("&lt;img src=x onerror=alert(1)&gt;"), std::string::npos);
    EXPECT_NE(html.find("Report &lt;for&gt; &amp; &quot;you&quot;"), std::string::npos);
    EXPECT_EQ(html.find("<script"), std::string::npos);
    EXPECT_EQ(html.find("://"), std::string::npos) << "no external resources";
    EXPECT_EQ(html.find("<link"), std::string::npos);
}
