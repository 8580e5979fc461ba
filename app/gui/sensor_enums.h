#pragma once
// The sensor's enums, declared with their fixed underlying types (model.h and system.h define
// them), so that moc need not read the standard library headers those pull in. In a header of
// their own: lupdate loses the namespace of a class that follows such declarations in its
// file, and with it the translations of that class's texts.

#include <cstdint>

namespace portscope::core {
enum class SensorMode : std::uint8_t;
}
namespace portscope::platform {
enum class SensorChoice : std::uint8_t;
}
