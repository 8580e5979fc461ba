#pragma once
// The English sentences of a finding, rendered from its structured parts: the rule, the
// process, the headline and evidence messages with their facts, and the host counters.
// This is the only place that words a finding; a front end in another language renders the
// same parts from its own message catalogue instead.

#include "portscope/core/findings.h"

#include <string>
#include <vector>

namespace portscope::core {

struct FindingText {
    std::string summary;
    std::string action;
    std::vector<std::string> details;
};

FindingText renderFindingText(const Finding& finding);

} // namespace portscope::core
