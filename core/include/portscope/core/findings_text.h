#pragma once
// The English sentences of a finding, rendered from its structured parts: the rule, the
// process, the headline and evidence messages with their facts, and the host counters.
// This is the only place that words a finding; a front end in another language renders the
// same parts from its own message catalogue instead.

#include "portscope/core/findings.h"

#include <string>
#include <string_view>
#include <vector>

namespace portscope::core {

struct FindingText {
    std::string summary;
    std::string action;
    std::vector<std::string> details;
};

FindingText renderFindingText(const Finding& finding);

// A rule's name in a few words ("Outbound fan-out scan"), for lists and alert titles; the rule
// ID itself for a rule this version does not know.
std::string ruleTitle(std::string_view ruleId);

} // namespace portscope::core
