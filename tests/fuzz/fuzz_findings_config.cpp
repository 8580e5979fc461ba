// Fuzz target for the findings config parser. A config file is read at start-up, and may be
// given on the command line by whoever starts PortScope; a bad file must give problems that
// name the key and line, never a crash, and its text must reach the terminal only escaped.

#include "fuzz_target.h"
#include "portscope/core/findings_config.h"

#include <string_view>

namespace {

using namespace portscope::core;

constexpr std::string_view kTarget = "findings_config";
using portscope::fuzz::hasControlCharacters;
using portscope::fuzz::require;

} // namespace

constexpr portscope::fuzz::HeapBudget kBudget{256 * 1024, 128};

PORTSCOPE_FUZZ_TARGET(findings_config, kBudget) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    const FindingsConfigLoad load = parseFindingsConfig(text);
    std::size_t lines = 1;
    for (const char c : text) {
        lines += c == '\n' ? 1 : 0;
    }
    for (const ConfigProblem& problem : load.problems) {
        require(kTarget, !problem.message.empty(), "a problem without a message");
        require(kTarget, problem.line <= lines, "a problem on a line past the end");
        // Problems are printed as they are; the file's text in them must be escaped.
        require(kTarget, !hasControlCharacters(formatProblem(problem, "findings.conf")),
                "a control character in a problem's text");
    }
    const auto& general = load.config.general;
    require(kTarget, general.clearAfter.count() >= 0, "a negative clear_after");
    require(kTarget, general.updateGrowth == general.updateGrowth, "update_growth is NaN");
    return 0;
}
