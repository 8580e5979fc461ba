// The translations are complete: every user-visible string of the GUI goes through tr() (or
// QCoreApplication::translate, QT_TRANSLATE_NOOP), and every .ts in resources/translations
// translates every string lupdate finds, with none left over from removed strings; English,
// the language of the sources, gives the plural forms of every string with %n.

#include "bracket_scan.h"
#include "test_process.h"

#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;

std::string readFile(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

std::vector<std::string> split(std::string_view text, char separator) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start <= text.size()) {
        const std::size_t end = std::min(text.find(separator, start), text.size());
        if (end > start) {
            out.emplace_back(text.substr(start, end - start));
        }
        start = end + 1;
    }
    return out;
}

// ------------------------------------------------------------- strings wrapped for translation

// Calls whose string arguments users read. A literal inside one, outside tr() and friends,
// is a string nobody can translate.
const std::regex kVisibleCall(
    R"(\b(setText|setToolTip|setStatusTip|setWhatsThis|setWindowTitle|setPlaceholderText|)"
    R"(setTitle|setLabelText|setSuffix|setPrefix|setHeaderLabels|setHorizontalHeaderLabels|)"
    R"(setTabText|addTab|insertTab|addAction|addMenu|QAction|QMenu|QLabel|QPushButton|)"
    R"(QCheckBox|QRadioButton|QGroupBox|QToolButton|showMessage|information|warning|critical|)"
    R"(question|about|getText|getDouble|getInt|getSaveFileName|getOpenFileName|setIconText|)"
    R"(setAccessibleName|setAccessibleDescription|addItem|setItemText)\s*\()");

// The argument list of the call whose '(' is at `open`, up to its matching ')'; the rest of
// the source when it is not closed within 4000 characters.
std::string argumentsAt(const std::string& source, std::size_t open) {
    const std::size_t close = portscope::testing::closingBracket(source, open, 4000);
    if (close == std::string::npos) {
        return source.substr(open + 1);
    }
    return source.substr(open + 1, close - open - 1);
}

// `arguments` without the parts that are translated: tr(...), translate(...) and
// QT_TRANSLATE_NOOP(...) calls, whose own literals are what translators see.
std::string withoutTranslatedCalls(std::string arguments) {
    static const std::regex translated(R"(\b(tr|translate|QT_TRANSLATE_NOOP|QT_TR_NOOP)\s*\()");
    for (int guard = 0; guard < 100; ++guard) {
        std::smatch match;
        if (!std::regex_search(arguments, match, translated)) {
            break;
        }
        const auto open = static_cast<std::size_t>(match.position(0) + match.length(0) - 1);
        const std::string inner = argumentsAt(arguments, open);
        arguments.erase(static_cast<std::size_t>(match.position(0)),
                        open - static_cast<std::size_t>(match.position(0)) + inner.size() + 2);
    }
    return arguments;
}

// A literal that reads as words: letters left once markup, placeholders and key names are
// taken out. "<b>%1</b>", "%1 (%2)", "⚠" and "Ctrl+..." shortcuts are not words.
bool readsAsWords(std::string literal) {
    literal = std::regex_replace(literal, std::regex(R"(<[^>]*>|&\w+;|%[0-9n]|\\[nt])"), "");
    return std::regex_search(literal, std::regex("[A-Za-z]{2,}"));
}

// Literals that are not for translation although they sit in a visible call: the product's
// name, the names of languages written in their own language, and file-type patterns.
bool allowed(const std::string& literal) {
    static const std::vector<std::string> kAllowed{"PortScope", "English"};
    for (const std::string& allowedText : kAllowed) {
        if (literal == allowedText) {
            return true;
        }
    }
    return false;
}

TEST(Translation, EveryVisibleGuiStringIsWrappedForTranslation) {
    const fs::path gui = fs::path(PORTSCOPE_SOURCE_DIR) / "app" / "gui";
    std::vector<std::string> unwrapped;
    std::size_t callsChecked = 0;
    for (const auto& entry : fs::directory_iterator(gui)) {
        const fs::path path = entry.path();
        if (path.extension() != ".cpp" && path.extension() != ".h") {
            continue;
        }
        const std::string source = readFile(path);
        static const std::regex literal(R"re("((?:[^"\\]|\\.)*)")re");
        for (auto it = std::sregex_iterator(source.begin(), source.end(), kVisibleCall);
             it != std::sregex_iterator(); ++it) {
            ++callsChecked;
            const auto open = static_cast<std::size_t>(it->position(0) + it->length(0) - 1);
            const std::string rest = withoutTranslatedCalls(argumentsAt(source, open));
            for (auto lit = std::sregex_iterator(rest.begin(), rest.end(), literal);
                 lit != std::sregex_iterator(); ++lit) {
                const std::string text = (*lit)[1].str();
                if (readsAsWords(text) && !allowed(text)) {
                    const auto line =
                        std::count(source.begin(), source.begin() + it->position(0), '\n') + 1;
                    unwrapped.push_back(path.filename().string() + ":" + std::to_string(line) +
                                        ": \"" + text + "\"");
                }
            }
        }
    }
    EXPECT_GT(callsChecked, 100u) << "the scan found too few calls to mean anything";
    std::string list;
    for (const std::string& entry : unwrapped) {
        list += "  " + entry + "\n";
    }
    EXPECT_TRUE(unwrapped.empty()) << unwrapped.size() << " visible string(s) outside tr():\n"
                                   << list;
}

// The scan itself: it must catch a literal that is not wrapped, and pass a wrapped one.
TEST(Translation, ScanTellsWrappedFromUnwrappedStrings) {
    const std::string unwrapped = R"(label->setText(QStringLiteral("Hello world"));)";
    const std::string wrapped =
        R"(label->setText(tr("Hello world").arg(QStringLiteral("<b>%1</b>")));)";
    auto flagged = [](const std::string& source) {
        std::smatch match;
        if (!std::regex_search(source, match, kVisibleCall)) {
            return false;
        }
        const auto open = static_cast<std::size_t>(match.position(0) + match.length(0) - 1);
        const std::string rest = withoutTranslatedCalls(argumentsAt(source, open));
        static const std::regex literal(R"re("((?:[^"\\]|\\.)*)")re");
        for (auto lit = std::sregex_iterator(rest.begin(), rest.end(), literal);
             lit != std::sregex_iterator(); ++lit) {
            if (readsAsWords((*lit)[1].str())) {
                return true;
            }
        }
        return false;
    };
    EXPECT_TRUE(flagged(unwrapped));
    EXPECT_FALSE(flagged(wrapped));
}

// ------------------------------------------------------------------ catalogues are complete

struct CatalogueCount {
    int translated = 0;
    int numerus = 0; // of the translated, those with plural forms
    std::vector<std::string> unfinished;
    std::vector<std::string> vanished;
    // Translated entries with an empty form, or, in English, a form that still says "(s)".
    std::vector<std::string> badForms;
};

std::string unescaped(std::string text) {
    for (const auto& [from, to] : std::vector<std::pair<std::string, std::string>>{
             {"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""}, {"&apos;", "'"}, {"&amp;", "&"}}) {
        for (std::size_t at = text.find(from); at != std::string::npos;
             at = text.find(from, at + to.size())) {
            text.replace(at, from.size(), to);
        }
    }
    return text;
}

CatalogueCount countCatalogue(const std::string& ts, bool english) {
    CatalogueCount count;
    static const std::regex message(R"(<message([^>]*)>([\s\S]*?)</message>)");
    static const std::regex source(R"(<source>([\s\S]*?)</source>)");
    static const std::regex form(R"(<numerusform>([\s\S]*?)</numerusform>)");
    for (auto it = std::sregex_iterator(ts.begin(), ts.end(), message);
         it != std::sregex_iterator(); ++it) {
        const std::string body = (*it)[2].str();
        std::smatch sourceMatch;
        std::regex_search(body, sourceMatch, source);
        const std::string text = unescaped(sourceMatch[1].str());
        if (body.find("type=\"unfinished\"") != std::string::npos) {
            count.unfinished.push_back(text);
        } else if (body.find("type=\"vanished\"") != std::string::npos ||
                   body.find("type=\"obsolete\"") != std::string::npos) {
            count.vanished.push_back(text);
        } else {
            ++count.translated;
        }
        if ((*it)[1].str().find("numerus=\"yes\"") == std::string::npos ||
            body.find("type=\"") != std::string::npos) {
            continue;
        }
        ++count.numerus;
        for (auto f = std::sregex_iterator(body.begin(), body.end(), form);
             f != std::sregex_iterator(); ++f) {
            const std::string plural = (*f)[1].str();
            if (plural.empty() || (english && plural.find("(s)") != std::string::npos)) {
                count.badForms.push_back(text + " -> \"" + unescaped(plural) + "\"");
            }
        }
    }
    return count;
}

// tr() in a Q_OBJECT class looks its texts up under the class's full name
// ("portscope::gui::SensorSetting"). Where lupdate lost the namespace (it did after forward
// declarations of enums with a fixed type), the texts sat under the bare name, and the window
// showed them in English whatever the language.
TEST(Translation, EveryQObjectClassKeepsItsNamespaceInTheCatalogues) {
    const fs::path gui = fs::path(PORTSCOPE_SOURCE_DIR) / "app" / "gui";
    std::vector<std::string> classes;
    static const std::regex qobjectClass(
        R"re(class\s+(\w+)\s+(?:final\s+)?:\s*public\s+Q\w+\s*\{\s*Q_OBJECT)re");
    for (const auto& entry : fs::directory_iterator(gui)) {
        if (entry.path().extension() != ".h") {
            continue;
        }
        const std::string header = readFile(entry.path());
        for (auto it = std::sregex_iterator(header.begin(), header.end(), qobjectClass);
             it != std::sregex_iterator(); ++it) {
            classes.push_back((*it)[1]);
        }
    }
    ASSERT_GT(classes.size(), 10u);
    for (const std::string& tsFile : split(PORTSCOPE_TS_FILES, '|')) {
        const std::string ts = readFile(tsFile);
        for (const std::string& name : classes) {
            EXPECT_EQ(ts.find("<name>" + name + "</name>"), std::string::npos)
                << tsFile << " holds the texts of " << name
                << " under its bare name, which tr() never asks for";
        }
    }
}

TEST(Translation, EveryCatalogueTranslatesEverySourceString) {
    const std::vector<std::string> tsFiles = split(PORTSCOPE_TS_FILES, '|');
    ASSERT_FALSE(tsFiles.empty());
    const fs::path scratch =
        fs::temp_directory_path() / ("portscope-ts-" + std::to_string(::getpid()));
    fs::create_directories(scratch);
    for (const std::string& tsFile : tsFiles) {
        SCOPED_TRACE(tsFile);
        const fs::path copy = scratch / fs::path(tsFile).filename();
        fs::copy_file(tsFile, copy, fs::copy_options::overwrite_existing);
        // English, the language of the sources, only gives the plural forms of the strings
        // with %n: lupdate -pluralonly keeps just those in its catalogue.
        const bool pluralsOnly = tsFile == PORTSCOPE_PLURALS_TS_FILE;
        // The options of update_translations, but keeping vanished entries so they are seen.
        std::vector<std::string> argv{PORTSCOPE_LUPDATE};
        for (const std::string& option : split(PORTSCOPE_LUPDATE_OPTIONS, '|')) {
            if (option != "-no-obsolete") {
                argv.push_back(option);
            }
        }
        if (pluralsOnly) {
            argv.push_back("-pluralonly");
        }
        argv.push_back(std::string("@") + PORTSCOPE_LUPDATE_LIST);
        argv.push_back("-ts");
        argv.push_back(copy.string());
        const auto result = portscope::testing::runProgram(argv, std::chrono::seconds(120));
        ASSERT_EQ(result.exitCode, 0) << result.out << result.err;

        const CatalogueCount count = countCatalogue(readFile(copy), pluralsOnly);
        std::cout << fs::path(tsFile).filename().string() << ": " << count.translated
                  << " translated (" << count.numerus << " with plural forms), "
                  << count.unfinished.size() << " unfinished, " << count.vanished.size()
                  << " vanished\n";
        std::string missing;
        for (std::size_t i = 0; i < count.unfinished.size() && i < 30; ++i) {
            missing += "  " + count.unfinished[i] + "\n";
        }
        EXPECT_TRUE(count.unfinished.empty())
            << count.unfinished.size()
            << " string(s) without a translation (cmake --build <dir> --target "
               "update_translations, then translate them):\n"
            << missing;
        EXPECT_TRUE(count.vanished.empty())
            << count.vanished.size()
            << " translation(s) of strings no longer in the sources; run update_translations";
        std::string badForms;
        for (const std::string& entry : count.badForms) {
            badForms += "  " + entry + "\n";
        }
        EXPECT_TRUE(count.badForms.empty()) << "plural forms left empty or saying (s):\n"
                                            << badForms;
        if (pluralsOnly) {
            EXPECT_EQ(count.numerus, count.translated) << "only plural forms belong here";
            EXPECT_GE(count.numerus, 5);
        } else {
            EXPECT_GT(count.translated, 400);
        }
    }
    fs::remove_all(scratch);
}

} // namespace
