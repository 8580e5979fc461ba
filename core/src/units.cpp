#include "portscope/core/units.h"

#include <algorithm>
#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <iterator>
#include <string_view>

namespace portscope::core {

DurationParts durationParts(std::int64_t milliseconds) {
    if (milliseconds < 0) {
        milliseconds = 0;
    }
    const std::int64_t seconds = (milliseconds + 500) / 1000;
    if (milliseconds < 10'000 && milliseconds % 1000 != 0) {
        char buffer[32];
        std::snprintf(buffer, sizeof buffer, "%.1f", static_cast<double>(milliseconds) / 1000);
        return {DurationParts::Unit::Seconds, buffer, 0};
    }
    if (seconds < 120) {
        return {DurationParts::Unit::Seconds, std::to_string(seconds), 0};
    }
    const std::int64_t minutes = (seconds + 30) / 60;
    if (minutes < 120) {
        return {DurationParts::Unit::Minutes, std::to_string(minutes), 0};
    }
    return {DurationParts::Unit::Hours, std::to_string(minutes / 60), minutes % 60};
}

std::string formatDuration(std::int64_t milliseconds) {
    const DurationParts parts = durationParts(milliseconds);
    switch (parts.unit) {
    case DurationParts::Unit::Seconds:
        return parts.amount + " s";
    case DurationParts::Unit::Minutes:
        return parts.amount + " min";
    case DurationParts::Unit::Hours:
        break;
    }
    return parts.amount + " h" +
           (parts.minutes ? " " + std::to_string(parts.minutes) + " min" : "");
}

std::string formatBytes(std::uint64_t bytes) {
    static constexpr std::string_view kUnits[] = {"B", "KB", "MB", "GB", "TB"};
    double value = static_cast<double>(bytes);
    std::size_t unit = 0;
    while (value >= 1024.0 && unit + 1 < std::size(kUnits)) {
        value /= 1024.0;
        ++unit;
    }
    char buffer[32];
    if (unit == 0) {
        std::snprintf(buffer, sizeof buffer, "%" PRIu64 " B", bytes);
    } else {
        std::snprintf(buffer, sizeof buffer, "%.1f %s", value, kUnits[unit].data());
    }
    return buffer;
}

std::string formatRate(double bytesPerSecond) {
    if (!std::isfinite(bytesPerSecond) || bytesPerSecond < 0) {
        bytesPerSecond = 0;
    }
    return formatBytes(static_cast<std::uint64_t>(std::llround(bytesPerSecond))) + "/s";
}

ByteAmountParts byteAmountParts(double bytes) {
    char buffer[352]; // "%.0f" of the largest double has 309 digits
    if (bytes < 1024) {
        std::snprintf(buffer, sizeof buffer, "%.0f", bytes);
        return {ByteAmountParts::Unit::Bytes, buffer};
    }
    if (bytes < 1024.0 * 1024) {
        std::snprintf(buffer, sizeof buffer, "%.1f", bytes / 1024);
        return {ByteAmountParts::Unit::Kilobytes, buffer};
    }
    std::snprintf(buffer, sizeof buffer, "%.1f", bytes / (1024.0 * 1024));
    return {ByteAmountParts::Unit::Megabytes, buffer};
}

std::string formatByteAmount(double bytes) {
    const ByteAmountParts parts = byteAmountParts(bytes);
    switch (parts.unit) {
    case ByteAmountParts::Unit::Bytes:
        return parts.amount + " bytes";
    case ByteAmountParts::Unit::Kilobytes:
        return parts.amount + " KB";
    case ByteAmountParts::Unit::Megabytes:
        break;
    }
    return parts.amount + " MB";
}

std::string formatPerSecond(double perSecond) {
    char buffer[32];
    if (perSecond >= 100 || perSecond == std::floor(perSecond)) {
        std::snprintf(buffer, sizeof buffer, "%.0f", perSecond);
    } else {
        std::snprintf(buffer, sizeof buffer, "%.1f", perSecond);
    }
    return buffer;
}

std::string formatPerSecondColumn(double perSecond) {
    char buffer[352]; // "%.0f" of the largest double has 309 digits
    std::snprintf(buffer, sizeof buffer, "%.*f", std::abs(perSecond) >= 100 ? 0 : 1, perSecond);
    return buffer;
}

std::string withThousands(std::uint64_t value) {
    std::string digits = std::to_string(value);
    std::string out;
    out.reserve(digits.size() + digits.size() / 3);
    const std::size_t lead = digits.size() % 3;
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i != 0 && i >= lead && (i - lead) % 3 == 0) {
            out += ',';
        }
        out += digits[i];
    }
    return out;
}

} // namespace portscope::core
