#pragma once
// The sentences of a finding, rendered from its structured parts: the rule, the process, the
// headline and evidence messages with their facts, and the host counters. This is the only
// place that words a finding. Every sentence is an English template marked for the message
// catalogues (translatable.h); a FindingWording gives the front end's translation of each
// template and its way of writing numbers, so the same code words a finding in every
// language. The English wording is what the engine stores in the finding and what JSON, CSV
// and HTML carry.

#include "portscope/core/findings.h"

#include <cstdint>
#include <initializer_list>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace portscope::core {

struct FindingText {
    std::string summary;
    std::string action;
    std::vector<std::string> details;
};

// A language for findings. The base class is English: the templates as written, numbers as
// "12,345" and "2.5".
class FindingWording {
public:
    virtual ~FindingWording() = default;
    // The translation of an English template of `context` ("FindingText", "CoreText"), with
    // its %1, %2... in the order the language needs; the template itself when there is none.
    virtual std::string translate(const char* context, const char* english) const;
    // A number written the English way ("12,345", "2.5") with this language's separators.
    virtual std::string number(std::string english) const;
};

const FindingWording& englishWording();

FindingText renderFindingText(const Finding& finding,
                              const FindingWording& wording = englishWording());

// A duration as the findings word it ("5 s", "3 h 5 min"), in the wording's language.
std::string wordDuration(std::int64_t milliseconds, const FindingWording& wording);

// `pattern` with %1...%9 replaced by the arguments in one pass, so that an argument that
// itself holds "%2" is left alone. A placeholder without an argument stays as written.
std::string substitute(std::string_view pattern, std::initializer_list<std::string_view> args);
// The same, but never longer than `maxBytes`: cut before the character that would pass it.
std::string substitute(std::string_view pattern, std::span<const std::string_view> args,
                       std::size_t maxBytes);

// A rule's name in a few words ("Outbound fan-out scan"), for lists and alert titles; the rule
// ID itself for a rule this version does not know.
std::string ruleTitle(std::string_view ruleId);

} // namespace portscope::core
