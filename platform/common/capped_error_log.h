#pragma once
// The problems found while parsing a text table, kept short: a corrupt table could hold
// millions of bad lines, and the first few explain it. The rest are counted and summed up in
// one last entry when the log is destroyed.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace portscope::platform::common {

class CappedErrorLog {
public:
    static constexpr std::size_t kDefaultLimit = 50;

    // Appends to `errors`; nothing is collected when it is null. `source` ("snmp"; may be
    // empty) starts every entry. `leftOutSuffix` follows the count of problems left out:
    // "snmp: 7 more problems were not listed".
    CappedErrorLog(std::vector<std::string>* errors, std::string source, std::string leftOutSuffix,
                   std::size_t limit = kDefaultLimit);
    CappedErrorLog(const CappedErrorLog&) = delete;
    CappedErrorLog& operator=(const CappedErrorLog&) = delete;
    ~CappedErrorLog();

    // "snmp line 12: <reason>", followed by " ('<offending>')" when the offending text is
    // given; it may be anything, so it is shown printable and cut short.
    void add(std::size_t lineNumber, std::string_view reason, std::string_view offending = {});

private:
    std::vector<std::string>* errors_;
    std::string source_;
    std::string leftOutSuffix_;
    std::size_t limit_;
    std::size_t kept_ = 0;
    std::size_t leftOut_ = 0;
};

} // namespace portscope::platform::common
