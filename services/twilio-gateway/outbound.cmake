# twilio-gateway's outbound half (SMS out, status callbacks), included by the service's
# CMakeLists.txt after twilio_gateway_core (the status callbacks go through its SignedRequests):
# a library the service and the tests link.
set(_twilio_outbound_dir ${CMAKE_CURRENT_LIST_DIR})
add_library(twilio_gateway_outbound STATIC
  ${_twilio_outbound_dir}/long_sms.cpp
  ${_twilio_outbound_dir}/outbound_media.cpp
  ${_twilio_outbound_dir}/send_backoff.cpp
  ${_twilio_outbound_dir}/sms_sender.cpp
  ${_twilio_outbound_dir}/status_callbacks.cpp
  ${_twilio_outbound_dir}/status_ledger.cpp
  ${_twilio_outbound_dir}/twilio_errors.cpp)
target_include_directories(twilio_gateway_outbound PUBLIC ${_twilio_outbound_dir})
target_link_libraries(twilio_gateway_outbound PUBLIC twilio_gateway_core switchboard::common
  PRIVATE switchboard::warnings)
