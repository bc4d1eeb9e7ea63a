#pragma once
// Twilio's REST error answers: {"code", "message", "more_info", "status"} with the HTTP status
// of the code, as api.twilio.com writes them.
#include <string>

namespace sb::sandbox::twilio {

struct RestError {
    int code = 0;
    int status = 400;
    std::string message;
};

// The error Twilio answers with for `code`; an unknown code is a 400 with a generic message.
RestError rest_error(int code);
// {"code":…,"message":…,"more_info":"https://www.twilio.com/docs/errors/<code>","status":…}
std::string error_body(const RestError& error);

}  // namespace sb::sandbox::twilio
