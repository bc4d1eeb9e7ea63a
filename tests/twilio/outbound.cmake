# twilio-gateway's outbound half: the pure decisions (no sockets), included by
# tests/twilio/CMakeLists.txt.
set(_twilio_outbound_tests ${CMAKE_CURRENT_LIST_DIR})
add_executable(twilio_outbound_unit_tests
  ${_twilio_outbound_tests}/outbound_main.cpp
  ${_twilio_outbound_tests}/outbound_pure_test.cpp
  ${_twilio_outbound_tests}/outbound_media_test.cpp)
target_link_libraries(twilio_outbound_unit_tests PRIVATE twilio_gateway_outbound
  switchboard::common doctest::doctest switchboard::warnings)
set_target_properties(twilio_outbound_unit_tests PROPERTIES RUNTIME_OUTPUT_DIRECTORY
  ${TEST_OUTPUT_DIR})
doctest_discover_tests(twilio_outbound_unit_tests TEST_PREFIX "twilio: ")

# Real processes over loopback: bus, sandbox (its Twilio half) and twilio-gateway, with the test
# as the router.
add_executable(twilio_outbound_component_tests
  ${_twilio_outbound_tests}/outbound_main.cpp
  ${_twilio_outbound_tests}/outbound_world.cpp
  ${_twilio_outbound_tests}/outbound_component_test.cpp)
target_link_libraries(twilio_outbound_component_tests PRIVATE twilio_gateway_core
  switchboard::common test_support switchboard::warnings)
set_target_properties(twilio_outbound_component_tests PROPERTIES RUNTIME_OUTPUT_DIRECTORY
  ${TEST_OUTPUT_DIR})
add_dependencies(twilio_outbound_component_tests bus sandbox twilio-gateway)
doctest_discover_tests(twilio_outbound_component_tests TEST_PREFIX "twilio: "
  PROPERTIES TIMEOUT 120)
