# One warnings target that every first-party target links privately.
add_library(switchboard_warnings INTERFACE)
add_library(switchboard::warnings ALIAS switchboard_warnings)
target_compile_options(switchboard_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wold-style-cast -Wcast-align
  -Woverloaded-virtual -Wnull-dereference -Wimplicit-fallthrough)
if(SWITCHBOARD_WARNINGS_AS_ERRORS)
  target_compile_options(switchboard_warnings INTERFACE -Werror)
endif()
