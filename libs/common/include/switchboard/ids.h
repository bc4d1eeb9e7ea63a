#pragma once
#include <string>

namespace sb {

// A random 128-bit identifier as 32 lowercase hex digits (the same shape Tropo uses for ids).
std::string new_id();

}  // namespace sb
