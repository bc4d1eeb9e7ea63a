#pragma once
// The Session API's input: GET query parameters, a form-encoded POST, or a JSON POST
// ({"token":..., "numberToDial":..., "msg":...}); every value becomes a string parameter.
#include <httplib.h>

#include <map>
#include <string>

namespace sb::sandbox::tropo {

struct LaunchRequest {
    std::map<std::string, std::string> parameters;
    std::string error;  // why the request is unreadable; empty when fine
};

LaunchRequest read_launch_request(const httplib::Request& request);

}  // namespace sb::sandbox::tropo
