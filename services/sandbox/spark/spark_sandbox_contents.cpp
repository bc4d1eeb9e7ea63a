// The file half of the Spark sandbox's HTTP layer: a posted `files` URL fetched before the post
// is stored (outside the state's lock: the fetch may take seconds), GET /v1/contents/{id} with
// the bearer token as Webex answers it (bytes, Content-Type, Content-Disposition; 423 while
// "scanning"), and the admin routes the UI and tests use: the bytes without a token, the
// scanning knob.
#include <spdlog/spdlog.h>

#include "content_fetcher.h"
#include "message_files.h"
#include "spark_sandbox.h"
#include "switchboard/http_edge.h"
#include "webex_ids.h"

namespace sb::sandbox::spark {
namespace {

void send_content(httplib::Response& response, const Content& content) {
    response.status = 200;
    response.set_header("Content-Disposition", attachment_disposition(content.filename));
    response.set_content(content.bytes, content.content_type);
}

}  // namespace

Reply SparkSandbox::create_message(const std::string& caller, const json& body) {
    const FileAsked asked = file_asked(body);
    if (asked.error) return *asked.error;
    if (!asked.url) return state_.create_message(caller, body);
    const Fetched fetched = fetch_content(*asked.url, max_file_bytes_);
    if (!fetched.ok) {
        spdlog::info("spark sandbox: could not fetch a posted file: {}", fetched.error);
        return fetch_failed(fetched.error);
    }
    return state_.create_message(caller, body,
                                 NewFile{fetched.content_type, fetched.filename, fetched.bytes});
}

Reply SparkSandbox::admin_post(const std::string& room_id, const json& body) {
    const FileAsked asked = file_asked(body);
    if (asked.error) return *asked.error;
    if (!asked.url) return state_.admin_post(room_id, body);
    const Fetched fetched = fetch_content(*asked.url, max_file_bytes_);
    if (!fetched.ok) return fetch_failed(fetched.error);
    return state_.admin_post(room_id, body,
                             NewFile{fetched.content_type, fetched.filename, fetched.bytes});
}

void SparkSandbox::register_content_routes(httplib::Server& server) {
    using httplib::Request;
    using httplib::Response;
    server.Get(R"(/v1/contents/([^/]+))", [this](const Request& request, Response& response) {
        const std::string tracking_id = new_tracking_id();
        count_call("GET", "contents/{id}");
        const auto error = [&](int status, const std::string& message) {
            response.status = status;
            response.set_header("Trackingid", tracking_id);
            response.set_content(webex_error(message, tracking_id).dump(),
                                 "application/json;charset=UTF-8");
        };
        if (const auto fault = take_fault("GET", request.path)) {
            if (fault->retry_after >= 0) {
                response.set_header("Retry-After", std::to_string(fault->retry_after));
            }
            return error(fault->status, "Service temporarily unavailable (sandbox fault).");
        }
        const std::string authorization = request.get_header_value("Authorization");
        std::optional<std::string> caller;
        if (authorization.rfind("Bearer ", 0) == 0) {
            caller = state_.person_for_token(authorization.substr(7));
        }
        if (!caller) {
            return error(401,
                         "The request requires a valid access token set in the Authorization "
                         "request header.");
        }
        const ContentAnswer answer = state_.get_content(*caller, request.matches[1]);
        if (answer.status == 423)
            response.set_header("Retry-After", std::to_string(answer.retry_after));
        if (answer.status != 200) return error(answer.status, answer.message);
        response.set_header("Trackingid", tracking_id);
        send_content(response, answer.content);
    });
    // For the browser demo: the picture without the token (the sandbox's admin API is local and
    // open; the page never sees a token).
    server.Get(R"(/sandbox/spark/contents/([^/]+))",
               [this](const Request& request, Response& response) {
                   const auto content = state_.admin_content(request.matches[1]);
                   if (!content) return reply_error(response, 404, "no such content");
                   send_content(response, *content);
               });
    server.Post("/sandbox/spark/scanning", [this](const Request& request, Response& response) {
        const json body = json::parse(request.body, nullptr, false);
        if (!body.is_object()) return reply_error(response, 400, "body must be a JSON object");
        const long long answers = int_field(body, "answers").value_or(-1);
        const long long retry_after =
            body.contains("retry_after") ? int_field(body, "retry_after").value_or(-1) : 1;
        const std::string verdict = body.contains("verdict") && body["verdict"].is_string()
                                        ? body["verdict"].get<std::string>()
                                        : "clean";
        if (answers < 0 || answers > 1000 || retry_after < 0 || retry_after > 3600 ||
            (verdict != "clean" && verdict != "infected" && verdict != "unscannable")) {
            return reply_error(
                response, 400,
                "answers 0-1000, retry_after 0-3600, verdict clean|infected|unscannable");
        }
        state_.admin_set_scanning(static_cast<int>(answers), static_cast<int>(retry_after),
                                  verdict);
        reply_json(
            response, 200,
            json{{"answers", answers}, {"retry_after", retry_after}, {"verdict", verdict}}.dump());
    });
}

}  // namespace sb::sandbox::spark
