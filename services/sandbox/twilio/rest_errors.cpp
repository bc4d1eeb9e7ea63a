#include "rest_errors.h"

#include <nlohmann/json.hpp>

namespace sb::sandbox::twilio {

RestError rest_error(int code) {
    switch (code) {
        case 20003:
            return {code, 401, "Authenticate"};
        case 20404:
            return {code, 404, "The requested resource was not found"};
        case 20429:
            return {code, 429, "Too Many Requests"};
        case 20500:
            return {code, 500, "Internal Server Error"};
        case 21211:
            return {code, 400, "Invalid 'To' Phone Number"};
        case 21408:
            return {code, 400,
                    "Permission to send an SMS has not been enabled for the region indicated by "
                    "the 'To' number"};
        case 21602:
            return {code, 400, "Message body is required."};
        case 21603:
            return {code, 400,
                    "A 'From' or 'MessagingServiceSid' parameter is required to send "
                    "a message"};
        case 21604:
            return {code, 400, "A 'To' phone number is required."};
        case 21606:
            return {code, 400,
                    "The 'From' phone number provided is not a valid message-capable Twilio "
                    "phone number for this destination/account"};
        case 21609:
            return {code, 400, "Invalid StatusCallback url"};
        case 21610:
            return {code, 400, "Attempt to send to unsubscribed recipient"};
        case 21612:
            return {code, 400, "The 'To' phone number is not currently reachable via SMS or MMS"};
        case 21614:
            return {code, 400, "'To' number is not a valid mobile number"};
        case 21617:
            return {code, 400, "The concatenated message body exceeds the 1600 character limit"};
        case 21620:
            return {code, 400, "Invalid media URL(s)"};
        case 21623:
            return {code, 400, "Number of media files exceeds allowed limit"};
        case 21701:
            return {code, 400, "The Messaging Service does not exist"};
        default:
            return {code, 400, "The request could not be processed"};
    }
}

std::string error_body(const RestError& error) {
    return nlohmann::json{
        {"code", error.code},
        {"message", error.message},
        {"more_info", "https://www.twilio.com/docs/errors/" + std::to_string(error.code)},
        {"status", error.status}}
        .dump();
}

}  // namespace sb::sandbox::twilio
