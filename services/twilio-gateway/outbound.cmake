# twilio-gateway's outbound half (SMS out, status callbacks), included by the service's
# CMakeLists.txt: a library the service and the tests link.
set(_twilio_outbound_dir ${CMAKE_CURRENT_LIST_DIR})
add_library(twilio_gateway_outbound STATIC
  ${_twilio_outbound_dir}/long_sms.cpp
  ${_twilio_outbound_dir}/send_backoff.cpp
  ${_twilio_outbound_dir}/sms_sender.cpp
  ${_twilio_outbound_dir}/status_ledger.cpp
  ${_twilio_outbound_dir}/twilio_errors.cpp)
target_include_directories(twilio_gateway_outbound PUBLIC ${_twilio_outbound_dir})
target_link_libraries(twilio_gateway_outbound PUBLIC switchboard::common
  PRIVATE switchboard::warnings)
