# Everything comes from Debian's -dev packages (scripts/install-deps installs them).
find_package(PkgConfig REQUIRED)
find_package(Threads REQUIRED)
find_package(OpenSSL REQUIRED)
find_package(ZLIB REQUIRED)
find_package(nlohmann_json 3.10 REQUIRED)
find_package(cppzmq REQUIRED)
find_package(spdlog REQUIRED)
if(SWITCHBOARD_BUILD_TESTS)
  find_package(doctest REQUIRED)
endif()

# Debian ships cpp-httplib as a compiled library described by pkg-config only.
pkg_check_modules(HTTPLIB REQUIRED IMPORTED_TARGET cpp-httplib)
# cmark (libcmark-dev) by pkg-config: its CMake config also imports the `cmark` program, which
# lives in another package (`cmark`), and stops find_package when that is not installed.
pkg_check_modules(CMARK REQUIRED IMPORTED_TARGET libcmark)

# libphonenumber ships neither CMake nor pkg-config files.
find_path(PHONENUMBER_INCLUDE_DIR phonenumbers/phonenumberutil.h REQUIRED)
find_library(PHONENUMBER_LIBRARY phonenumber REQUIRED)
add_library(phonenumber::phonenumber UNKNOWN IMPORTED)
set_target_properties(phonenumber::phonenumber PROPERTIES
  IMPORTED_LOCATION ${PHONENUMBER_LIBRARY}
  INTERFACE_INCLUDE_DIRECTORIES ${PHONENUMBER_INCLUDE_DIR})
