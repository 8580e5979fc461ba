#pragma once
// The Windows networking headers in the order they must come: winsock2.h before anything that
// pulls in windows.h, then the IP Helper API and its TCP statistics types.

// clang-format off
#include <winsock2.h>
#include <ws2ipdef.h>
#include <windows.h>
#include <iphlpapi.h>
#include <tcpestats.h>
// clang-format on
