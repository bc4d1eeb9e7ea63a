#include "twilio_sandbox_world.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <stdexcept>

#include "process.h"

namespace sb::testing {
namespace {

std::string base64(const unsigned char* bytes, size_t length) {
    std::string out(4 * ((length + 2) / 3) + 1, '\0');
    const int written = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), bytes,
                                        static_cast<int>(length));
    out.resize(static_cast<size_t>(written));
    return out;
}

Form form_of(const std::string& text) {
    httplib::Params parsed;
    httplib::detail::parse_query_text(text, parsed);
    return Form(parsed.begin(), parsed.end());
}

}  // namespace

std::string account_sid() {
    return demo().all.at("TWILIO_ACCOUNT_SID");
}
std::string auth_token() {
    return demo().all.at("TWILIO_AUTH_TOKEN");
}
std::string company_number() {
    return demo().all.at("TWILIO_FROM_NUMBER");
}

std::string expected_signature(const std::string& token, const std::string& url, Form params) {
    std::sort(params.begin(), params.end());
    std::string text = url;
    for (const auto& [name, value] : params) text += name + value;
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    HMAC(EVP_sha1(), token.data(), static_cast<int>(token.size()),
         reinterpret_cast<const unsigned char*>(text.data()), text.size(), digest, &length);
    return base64(digest, length);
}

std::string Received::param(const std::string& name) const {
    for (const auto& [key, value] : params) {
        if (key == name) return value;
    }
    return {};
}

bool Received::has(const std::string& name) const {
    return std::any_of(params.begin(), params.end(),
                       [&](const auto& pair) { return pair.first == name; });
}

Application::Application(std::string token) : token_(std::move(token)), port_(0) {
    const auto handler = [this](const httplib::Request& request, httplib::Response& response) {
        handle(request, response);
    };
    server_.Post(".*", handler);
    server_.Get(".*", handler);
    // Bound before the sandbox learns the URL: nothing it sends can find the port closed. A
    // leased port can still be taken between the lease's probe and this bind: take another.
    for (int attempt = 0; attempt < 5 && port_ == 0; ++attempt) {
        const int candidate = free_port();
        if (server_.bind_to_port("127.0.0.1", candidate)) port_ = candidate;
    }
    if (port_ == 0) throw std::runtime_error("the test application cannot bind a port");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
}

Application::~Application() {
    server_.stop();
    if (thread_.joinable()) thread_.join();
}

std::string Application::url(const std::string& path_and_query) const {
    return "http://127.0.0.1:" + std::to_string(port_) + path_and_query;
}

void Application::answer(const std::string& path, int status, const std::string& content_type,
                         const std::string& body) {
    std::lock_guard lock(mutex_);
    replies_[path] = Reply{status, content_type, body};
}

void Application::serve(const std::string& path, const std::string& content_type,
                        const std::string& body) {
    answer(path, 200, content_type, body);
}

void Application::handle(const httplib::Request& request, httplib::Response& response) {
    Received received;
    received.method = request.method;
    received.path = request.path;
    received.target = request.target;
    received.body = request.body;
    received.signature = request.get_header_value("X-Twilio-Signature");
    received.host = request.get_header_value("Host");
    // Twilio signs the URL it was given (here: with the port) and, for a POST, the form.
    const std::string url = this->url(request.target);
    if (request.method == "POST") {
        received.params = form_of(request.body);
        received.signature_ok =
            received.signature == expected_signature(token_, url, received.params);
    } else {
        const auto query = request.target.find('?');
        if (query != std::string::npos) received.params = form_of(request.target.substr(query + 1));
        received.signature_ok = received.signature == expected_signature(token_, url, {});
    }
    Reply reply;
    {
        std::lock_guard lock(mutex_);
        const auto found = replies_.find(request.path);
        if (found != replies_.end()) reply = found->second;
        received_.push_back(std::move(received));
    }
    arrived_.notify_all();
    response.status = reply.status;
    response.set_content(reply.body, reply.content_type.c_str());
}

std::vector<Received> Application::received(const std::string& path) const {
    std::lock_guard lock(mutex_);
    std::vector<Received> out;
    for (const Received& request : received_) {
        if (request.path == path) out.push_back(request);
    }
    return out;
}

bool Application::wait_for(const std::string& path, size_t count,
                           std::chrono::milliseconds timeout) const {
    std::unique_lock lock(mutex_);
    return arrived_.wait_for(lock, timeout, [&] {
        return static_cast<size_t>(std::count_if(
                   received_.begin(), received_.end(),
                   [&](const Received& request) { return request.path == path; })) >= count;
    });
}

TwilioWorld::TwilioWorld(const Env& extra)
    : Stack("sandbox-twilio"), app(auth_token()), sandbox_port(port("sandbox")) {
    Env env = {{"TWILIO_SMS_URL", app.url("/sms")}, {"TWILIO_VOICE_URL", app.url("/voice")}};
    for (const auto& [name, value] : extra) env[name] = value;
    Start how;
    how.env = env;
    // The demo settings name the carrier; without a choice here the sandbox's own default holds.
    if (extra.count("SMS_CARRIER") == 0) how.without = {"SMS_CARRIER"};
    start("sandbox", how);
}

std::string TwilioWorld::messages_path() const {
    return "/twilio/2010-04-01/Accounts/" + account_sid() + "/Messages.json";
}

HttpAnswer TwilioWorld::send(const Form& form, const std::string& user, const std::string& secret,
                             const std::string& account) {
    auto client = http_client(sandbox_port);
    if (!user.empty()) client.set_basic_auth(user.c_str(), secret.c_str());
    std::string body;
    for (const auto& [name, value] : form) {
        if (!body.empty()) body += '&';
        body += httplib::detail::encode_query_param(name) + "=" +
                httplib::detail::encode_query_param(value);
    }
    const std::string path = account.empty()
                                 ? messages_path()
                                 : "/twilio/2010-04-01/Accounts/" + account + "/Messages.json";
    return answer_of(client.Post(path.c_str(), body, "application/x-www-form-urlencoded"));
}

HttpAnswer TwilioWorld::get(const std::string& path, const std::string& user,
                            const std::string& secret) {
    auto client = http_client(sandbox_port);
    if (!user.empty()) client.set_basic_auth(user.c_str(), secret.c_str());
    return answer_of(client.Get(path.c_str()));
}

HttpAnswer TwilioWorld::admin(const std::string& method, const std::string& path,
                              const json& body) {
    return http_json(sandbox_port, method, path, body);
}

json TwilioWorld::phone(const std::string& number) {
    return admin("GET", "/sandbox/twilio/phones/" + number).body;
}

std::vector<std::string> TwilioWorld::inbox(const std::string& number) {
    std::vector<std::string> texts;
    const json answer = phone(number);
    if (!answer.contains("inbox")) return texts;
    for (const json& sms : answer.at("inbox")) texts.push_back(sms.at("text"));
    return texts;
}

}  // namespace sb::testing
