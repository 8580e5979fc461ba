#pragma once
// Numbers in English text: durations, byte sizes, rates and counts, as the CLI, the exports
// and the findings' sentences print them. One place, so that "5 s" reads the same wherever
// it appears.
//
// The GUI formats its table cells (connection age, counter rates) with tr() and QLocale
// instead, on purpose: those follow the user's language and decimal separator, while these
// stay fixed for files and logs that scripts read.

#include <cstdint>
#include <string>

namespace portscope::core {

// "0 s", "1.5 s" (tenths below 10 s), "119 s", "42 min", "3 h", "3 h 5 min".
std::string formatDuration(std::int64_t milliseconds);

// What formatDuration() says, as its unit and numbers, for a front end that words the units
// in another language (findings_text.h).
struct DurationParts {
    enum class Unit : std::uint8_t { Seconds, Minutes, Hours };
    Unit unit = Unit::Seconds;
    std::string amount;       // "1.5", "119", "42", "3"
    std::int64_t minutes = 0; // with Hours: the minutes after the whole hours, 0 for none
};
DurationParts durationParts(std::int64_t milliseconds);

// "512 B", "1.5 KB", "3.2 GB" (powers of 1024).
std::string formatBytes(std::uint64_t bytes);
// formatBytes of the rounded rate, with "/s"; negative and non-finite rates read "0 B/s".
std::string formatRate(double bytesPerSecond);
// "120 bytes", "3.4 KB", "1.2 MB": an amount of traffic inside a sentence.
std::string formatByteAmount(double bytes);

// What formatByteAmount() says, as its unit and number.
struct ByteAmountParts {
    enum class Unit : std::uint8_t { Bytes, Kilobytes, Megabytes };
    Unit unit = Unit::Bytes;
    std::string amount; // "120", "3.4"
};
ByteAmountParts byteAmountParts(double bytes);

// Events per second inside a sentence: whole numbers without a decimal ("480", "3"), others
// with one ("2.5").
std::string formatPerSecond(double perSecond);
// Events per second in a table column: one decimal below 100 ("3.0", "2.5"), none above.
std::string formatPerSecondColumn(double perSecond);

// "12,345".
std::string withThousands(std::uint64_t value);

} // namespace portscope::core
