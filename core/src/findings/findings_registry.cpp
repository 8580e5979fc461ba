// The one list of findings rules. A new rule is added here (see "How to add a finding rule"
// in docs/architecture.md).

#include "findings_rules.h"

namespace portscope::core {

namespace findings_detail {

std::vector<std::unique_ptr<FindingRule>> makeFindingRules(const FindingsConfig& config) {
    std::vector<std::unique_ptr<FindingRule>> all;
    all.push_back(std::make_unique<FanoutScanRule>());
    all.push_back(std::make_unique<SynFloodRule>());
    all.push_back(std::make_unique<LongLivedExternalRule>());
    all.push_back(std::make_unique<NewListenerRule>());
    all.push_back(std::make_unique<SuspiciousPortRule>(config.suspiciousPort));
    all.push_back(std::make_unique<ConnectionSurgeRule>());
    all.push_back(std::make_unique<MasqueradeRule>());
    all.push_back(std::make_unique<InboundScanRule>());
    return all;
}

} // namespace findings_detail

std::vector<std::string_view> findingRuleIds() {
    std::vector<std::string_view> ids;
    for (const auto& rule : findings_detail::makeFindingRules(FindingsConfig{})) {
        ids.push_back(rule->id());
    }
    return ids;
}

} // namespace portscope::core
