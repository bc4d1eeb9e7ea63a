# One warnings target that every first-party target links privately.
add_library(switchboard_warnings INTERFACE)
add_library(switchboard::warnings ALIAS switchboard_warnings)
target_compile_options(switchboard_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wold-style-cast -Wcast-align
  -Woverloaded-virtual -Wnull-dereference -Wimplicit-fallthrough
  # The event structs grow by optional trailing members (events.h); a brace initialiser that
  # names only the leading ones means "the rest empty", which every member's default already says.
  -Wno-missing-field-initializers)
if(SWITCHBOARD_WARNINGS_AS_ERRORS)
  target_compile_options(switchboard_warnings INTERFACE -Werror)
endif()
