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
    const auto html = htmlReport(update, rows, "Report <for> & \"you\"", ExportContext{});
    EXPECT_EQ(html.find("<img"), std::string::npos);
    EXPECT_EQ(html.find("<b>host"), std::string::npos);
    EXPECT_NE(html.find("&lt;img src=x onerror=alert(1)&gt;"), std::string::npos);
    EXPECT_NE(html.find("Report &lt;for&gt; &amp; &quot;you&quot;"), std::string::npos);
    EXPECT_EQ(html.find("<script"), std::string::npos);
    EXPECT_EQ(html.find("://"), std::string::npos) << "no external resources";
    EXPECT_EQ(html.find("<link"), std::string::npos);
}

namespace {

// A report's inputs with hostile text wherever a name can come from outside.
struct ReportInputs {
    Update update;
    ExportContext context;
};

ReportInputs reportInputs() {
    ReportInputs in{updateWithOneConnection("<sshd>", ""), {}};
    ProcessRow& process = in.update.processes.front();
    process.process.commandLine = "/var/tmp/.x/sshd -D --to=\"<b>evil</b>\",=1+1";
    process.process.parentPid = 1;
    process.process.userName = "mallory";
    process.process.startedAtUnixMs = 1'700'000'000'000;
    process.process.exePath = "/var/tmp/.x/sshd";
    ProcessRow init;
    init.process.key = {1, 1};
    init.process.name = "systemd";
    in.update.processes.insert(in.update.processes.begin(), init);

    Finding active;
    active.id = 1;
    active.ruleId = std::string(rules::kMasquerade);
    active.severity = Severity::High;
    active.process = {1540, 99};
    active.processName = "<sshd>";
    active.summary = "<sshd> is named like a system process but runs from /var/tmp";
    active.details = {"Program: /var/tmp/.x/sshd", "Owner: mallory"};
    active.action = "Check where /var/tmp/.x/sshd came from";
    active.firstSeenUnixMs = 1'700'000'000'123;
    active.lastSeenUnixMs = 1'700'000'060'123;
    in.update.findings.push_back(active);
    Finding resolved = active;
    resolved.id = 2;
    resolved.ruleId = std::string(rules::kFanoutScan);
    resolved.summary = "fan-out scan that stopped";
    in.context.resolvedFindings.push_back(resolved);

    in.context.host = "=HYPERLINK(\"http://x\"),<i>box</i>";
    in.context.os = "Linux 6.8";
    in.context.user = "alice";
    in.context.version = "1.2.3";
    in.context.monitoredSinceUnixMs = 1'699'999'000'000;
    in.context.filter = "port:445";
    in.context.programHashes.push_back({{1540, 99}, std::string(64, 'a')});
    return in;
}

} // namespace

TEST(ReportCsv, StartsWithHeaderLinesThenConnectionsFindingsAndProcesses) {
    const auto in = reportInputs();
    const auto rows = exportRowsOf(in.update);
    const std::string csv = reportCsv(in.update, rows, in.context);
    // The host is one quoted cell that a spreadsheet shows as text: no formula, no split.
    EXPECT_EQ(csv.substr(0, csv.find("\r\n")),
              "\"# host: =HYPERLINK(\"\"http://x\"\"),<i>box</i>\"");
    EXPECT_NE(csv.find("\r\n# user: alice\r\n"), std::string::npos) << csv;
    EXPECT_NE(csv.find("# portscope_version: 1.2.3"), std::string::npos);
    EXPECT_NE(csv.find("# from: 2023-11-14T21:56:40.000Z"), std::string::npos);
    EXPECT_NE(csv.find("# to: 2023-11-14T22:13:20.123Z"), std::string::npos);
    EXPECT_NE(csv.find("# filter: port:445"), std::string::npos);
    EXPECT_NE(csv.find("# complete: yes"), std::string::npos);
    EXPECT_EQ(reportCsv(in.update, rows, ExportContext{}).rfind("# host:\r\n", 0), 0U);

    const auto findings = csv.find("# section: findings\r\nstatus,severity,rule,");
    const auto processes = csv.find("# section: processes\r\npid,process,command_line,");
    ASSERT_NE(findings, std::string::npos) << csv;
    ASSERT_NE(processes, std::string::npos) << csv;
    EXPECT_LT(csv.find("# section: connections\r\nprotocol,"), findings);
    const std::string findingLines = csv.substr(findings, processes - findings);
    EXPECT_NE(findingLines.find("active,high,masquerade,1540,<sshd>,,<sshd> is named like"),
              std::string::npos)
        << findingLines;
    EXPECT_NE(findingLines.find("Program: /var/tmp/.x/sshd\nOwner: mallory"), std::string::npos);
    EXPECT_NE(findingLines.find("Check where /var/tmp/.x/sshd came from"), std::string::npos);
    EXPECT_NE(findingLines.find("2023-11-14T22:14:20.123Z"), std::string::npos);
    EXPECT_NE(findingLines.find("resolved,high,fanout-scan"), std::string::npos);

    const std::string processLine =
        csv.substr(csv.find("\r\n1540,", processes) + 2,
                   csv.find("\r\n", csv.find("\r\n1540,", processes) + 2) -
                       csv.find("\r\n1540,", processes) - 2);
    const auto fields = parseCsvLine(processLine);
    ASSERT_EQ(fields.size(), 11U) << processLine;
    EXPECT_EQ(fields[2], "/var/tmp/.x/sshd -D --to=\"<b>evil</b>\",=1+1");
    EXPECT_EQ(fields[3], "1");
    EXPECT_EQ(fields[4], "systemd");
    EXPECT_EQ(fields[5], "mallory");
    EXPECT_EQ(fields[7], "2023-11-14T22:13:20.000Z");
    EXPECT_EQ(fields[9], std::string(64, 'a'));
}

TEST(ReportCsv, SaysWhenTheViewIsIncomplete) {
    auto in = reportInputs();
    in.context.ownersHidden = "not administrator";
    const auto rows = exportRowsOf(in.update);
    const std::string csv = reportCsv(in.update, rows, in.context);
    EXPECT_NE(csv.find("# complete: no"), std::string::npos);
    EXPECT_NE(csv.find("# owners: all known; not administrator"), std::string::npos) << csv;
    // A filtered view is not the whole picture either.
    const std::string filtered = reportCsv(in.update, {}, ExportContext{});
    EXPECT_NE(filtered.find("# connections: 0 of 1 shown"), std::string::npos);
    EXPECT_NE(filtered.find("# complete: no"), std::string::npos);
}

TEST(ReportJson, CarriesReportObjectFindingsAndProcessDetails) {
    const auto in = reportInputs();
    const auto rows = exportRowsOf(in.update);
    const std::string json = reportJson(in.update, rows, in.context);
    EXPECT_EQ(json.rfind("{\"format\":\"portscope-report\",\"version\":1,\"report\":{\"host\":", 0),
              0U)
        << json;
    EXPECT_NE(json.find("\"host\":\"=HYPERLINK(\\\"http://x\\\"),<i>box</i>\""), std::string::npos);
    EXPECT_NE(json.find("\"filter\":\"port:445\""), std::string::npos);
    EXPECT_NE(json.find("\"command_line\":\"/var/tmp/.x/sshd -D --to=\\\"<b>evil</b>\\\",=1+1\""),
              std::string::npos);
    EXPECT_NE(json.find("\"started_at\":\"2023-11-14T22:13:20.000Z\""), std::string::npos);
    EXPECT_NE(json.find("\"parent\":\"systemd\""), std::string::npos);
    EXPECT_NE(json.find("\"sha256\":\"" + std::string(64, 'a') + "\""), std::string::npos);
    const auto findings = json.find("\"findings\":[\n{\"id\":1,\"rule\":\"masquerade\"");
    const auto resolved = json.find("\"resolved_findings\":[\n{\"id\":2,\"rule\":\"fanout-scan\"");
    EXPECT_NE(findings, std::string::npos) << json;
    EXPECT_NE(resolved, std::string::npos) << json;
}

TEST(HtmlReport, HeaderFindingsAndProcessesEscapedAndReadableColumnsFirst) {
    const auto in = reportInputs();
    const auto rows = exportRowsOf(in.update);
    const std::string html = htmlReport(in.update, rows, "Evidence", in.context);
    EXPECT_EQ(html.find("<i>"), std::string::npos);
    EXPECT_EQ(html.find("<b>evil"), std::string::npos);
    EXPECT_EQ(html.find("<sshd>"), std::string::npos);
    EXPECT_NE(html.find("<tr><th>host</th><td>=HYPERLINK(&quot;http://x&quot;),&lt;i&gt;box&lt;/"
                        "i&gt;</td></tr>"),
              std::string::npos)
        << html;
    EXPECT_NE(html.find("<th>filter</th><td>port:445</td>"), std::string::npos);
    EXPECT_NE(html.find("<h2>Findings (2)</h2>"), std::string::npos);
    EXPECT_NE(html.find("&lt;sshd&gt; is named like a system process"), std::string::npos);
    EXPECT_NE(html.find("Check where /var/tmp/.x/sshd came from"), std::string::npos);
    EXPECT_NE(
        html.find("<td>/var/tmp/.x/sshd -D --to=&quot;&lt;b&gt;evil&lt;/b&gt;&quot;,=1+1</td>"),
        std::string::npos);
    EXPECT_NE(html.find("<td>2023-11-14T22:13:20.000Z</td>"), std::string::npos);
    const auto connections = html.find("<h2>Connections");
    ASSERT_NE(connections, std::string::npos);
    EXPECT_NE(html.find("<tr><th>process</th><th>pid</th><th>protocol</th>", connections),
              std::string::npos);
    EXPECT_LT(html.find("<th>send_rate</th>", connections),
              html.find("<th>inode</th>", connections));
}

TEST(Base64, MatchesRfc4648Vectors) {
    EXPECT_EQ(base64(""), "");
    EXPECT_EQ(base64("f"), "Zg==");
    EXPECT_EQ(base64("fo"), "Zm8=");
    EXPECT_EQ(base64("foo"), "Zm9v");
    EXPECT_EQ(base64("foob"), "Zm9vYg==");
    EXPECT_EQ(base64("foobar"), "Zm9vYmFy");
    EXPECT_EQ(base64(std::string("\xff\xfe\x00", 3)), "//4A");
}

TEST(HtmlReport, EmbedsTheChartAsADataUriThatThePolicyAllows) {
    const auto in = reportInputs();
    const auto rows = exportRowsOf(in.update);
    const std::string png("\x89PNG\r\n\x1a\n", 8);
    const std::string html = htmlReport(in.update, rows, "Evidence", in.context, png);
    EXPECT_NE(html.find("<img alt=\"Traffic graph\" src=\"data:image/png;base64,iVBORw0KGgo=\">"),
              std::string::npos)
        << html;
    EXPECT_NE(html.find("img-src data:"), std::string::npos);
    EXPECT_EQ(htmlReport(in.update, rows, "Evidence", in.context).find("<img"), std::string::npos);
}
