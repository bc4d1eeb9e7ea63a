#include "switchboard/api_client.h"

#include <spdlog/spdlog.h>

#include <nlohmann/json.hpp>
#include <random>
#include <stdexcept>

#include "switchboard/text.h"

namespace sb {
namespace {

constexpr const char* kCaBundle = "/etc/ssl/certs/ca-certificates.crt";

bool retryable_status(int status) {
    return status == 429 || status == 423 || status >= 500;
}

std::chrono::milliseconds jitter(std::chrono::milliseconds base) {
    thread_local std::mt19937 generator{std::random_device{}()};
    std::uniform_int_distribution<long> spread(0, base.count() / 4 + 1);
    return base + std::chrono::milliseconds(spread(generator));
}

}  // namespace

std::string ApiResponse::header(const std::string& name) const {
    for (const auto& [key, value] : headers) {
        if (iequals(key, name)) {
            return value;
        }
    }
    return {};
}

std::string form_encode(const FormParams& params) {
    std::string body;
    for (const auto& [name, value] : params) {
        if (!body.empty()) body += '&';
        body += percent_encode(name);
        body += '=';
        body += percent_encode(value);
    }
    return body;
}

std::optional<BaseUrl> BaseUrl::parse(const std::string& url) {
    const auto scheme_end = url.find("://");
    if (scheme_end == std::string::npos) return std::nullopt;
    const std::string scheme = url.substr(0, scheme_end);
    if (scheme != "http" && scheme != "https") return std::nullopt;
    const auto path_start = url.find('/', scheme_end + 3);
    BaseUrl base;
    base.origin = url.substr(0, path_start);
    if (base.origin.size() <= scheme_end + 3) return std::nullopt;
    base.prefix = path_start == std::string::npos ? "" : url.substr(path_start);
    while (!base.prefix.empty() && base.prefix.back() == '/') base.prefix.pop_back();
    return base;
}

std::string next_link(const std::string& link_header) {
    // Link: <https://x/v1/rooms?cursor=abc>; rel="next", <...>; rel="prev"
    size_t at = 0;
    while (at < link_header.size()) {
        const auto open = link_header.find('<', at);
        if (open == std::string::npos) break;
        const auto close = link_header.find('>', open);
        if (close == std::string::npos) break;
        const auto next_entry = link_header.find('<', close);
        const std::string params =
            link_header.substr(close + 1, next_entry == std::string::npos ? std::string::npos
                                                                          : next_entry - close - 1);
        std::string lowered;
        for (const char c : to_lower(params)) {
            if (c != ' ' && c != '"' && c != '\'') lowered += c;
        }
        if (lowered.find("rel=next") != std::string::npos) {
            return link_header.substr(open + 1, close - open - 1);
        }
        at = close + 1;
    }
    return {};
}

ApiClient::ApiClient(const std::string& base_url, std::string bearer_token, std::string provider,
                     Metrics* metrics, RetryPolicy policy)
    : token_(std::move(bearer_token)),
      provider_(std::move(provider)),
      metrics_(metrics),
      policy_(policy) {
    const auto parsed = BaseUrl::parse(base_url);
    if (!parsed) throw std::invalid_argument("not an http(s) base URL: " + base_url);
    base_ = *parsed;
}

ApiClient::ApiClient(const std::string& base_url, BasicAuth credentials, std::string provider,
                     Metrics* metrics, RetryPolicy policy)
    : ApiClient(base_url, std::string(), std::move(provider), metrics, policy) {
    basic_ = std::move(credentials);
}

ApiClient::~ApiClient() {
    cancel();
}

void ApiClient::cancel() {
    cancelled_.store(true);
    std::lock_guard lock(mutex_);
    cancelled_cv_.notify_all();
}

std::unique_ptr<httplib::Client> ApiClient::acquire() {
    {
        std::lock_guard lock(mutex_);
        if (!idle_.empty()) {
            auto client = std::move(idle_.back());
            idle_.pop_back();
            return client;
        }
    }
    auto client = std::make_unique<httplib::Client>(base_.origin);
    client->set_keep_alive(true);
    // httplib writes headers and body separately; with Nagle on, the body waits ~40 ms for
    // the peer's delayed ack on every call.
    client->set_tcp_nodelay(true);
    client->set_connection_timeout(policy_.connect_timeout);
    client->set_read_timeout(policy_.read_timeout);
    client->set_write_timeout(policy_.read_timeout);
    if (base_.origin.rfind("https://", 0) == 0) {
        client->set_ca_cert_path(kCaBundle);
        client->enable_server_certificate_verification(true);
    }
    if (basic_) {
        client->set_basic_auth(basic_->user.c_str(), basic_->password.c_str());
    } else if (!token_.empty()) {
        client->set_bearer_token_auth(token_.c_str());
    }
    return client;
}

void ApiClient::release(std::unique_ptr<httplib::Client> client) {
    std::lock_guard lock(mutex_);
    if (idle_.size() < 16) idle_.push_back(std::move(client));
}

bool ApiClient::pause(std::chrono::milliseconds duration) {
    std::unique_lock lock(mutex_);
    return !cancelled_cv_.wait_for(lock, duration, [this] { return cancelled_.load(); });
}

std::string ApiClient::endpoint_label(const std::string& path) const {
    // "/v1/rooms/Y2lz..?max=1" -> "rooms": ids would make unbounded label sets.
    std::string rest = path.substr(0, path.find('?'));
    if (rest.rfind(base_.prefix, 0) == 0) rest = rest.substr(base_.prefix.size());
    // Twilio: "/2010-04-01/Accounts/AC…/Messages.json" -> "Messages" (the resource, not the
    // API version every call shares).
    const std::string twilio_account = "/2010-04-01/Accounts/";
    if (rest.rfind(twilio_account, 0) == 0) {
        const auto resource = rest.find('/', twilio_account.size());
        if (resource == std::string::npos) return "Accounts";
        const auto end = rest.find_first_of("/.", resource + 1);
        return rest.substr(resource + 1,
                           end == std::string::npos ? std::string::npos : end - resource - 1);
    }
    const auto first = rest.find_first_not_of('/');
    if (first == std::string::npos) return "/";
    const auto end = rest.find('/', first);
    return rest.substr(first, end == std::string::npos ? std::string::npos : end - first);
}

ApiResponse ApiClient::get(const std::string& target) {
    return send("GET", target, {});
}
ApiResponse ApiClient::post_json(const std::string& target, const std::string& body) {
    return send("POST", target, body);
}
ApiResponse ApiClient::put_json(const std::string& target, const std::string& body) {
    return send("PUT", target, body);
}
ApiResponse ApiClient::post_form(const std::string& target, const FormParams& params) {
    return send("POST", target, form_encode(params), "application/x-www-form-urlencoded");
}
ApiResponse ApiClient::del(const std::string& target) {
    return send("DELETE", target, {});
}

ApiResponse ApiClient::send(const std::string& method, const std::string& target,
                            const std::string& body, const char* content_type) {
    std::string path;
    if (target.rfind("http://", 0) == 0 || target.rfind("https://", 0) == 0) {
        const auto absolute = BaseUrl::parse(target);
        if (!absolute || absolute->origin != base_.origin) {
            ApiResponse refused;
            refused.error = "refused to follow a URL of another origin";
            return refused;
        }
        path = target.substr(base_.origin.size());
    } else {
        path = base_.prefix + (target.empty() || target[0] != '/' ? "/" : "") + target;
    }
    const std::string endpoint = endpoint_label(path);

    ApiResponse response;
    std::chrono::milliseconds backoff = policy_.first_backoff;
    for (int attempt = 1; attempt <= policy_.max_attempts; ++attempt) {
        if (cancelled_.load()) {
            response.error = "cancelled";
            return response;
        }
        response = ApiResponse{};
        response.attempts = attempt;
        auto client = acquire();
        httplib::Result result{nullptr, httplib::Error::Unknown};
        if (method == "GET")
            result = client->Get(path.c_str());
        else if (method == "POST")
            result = client->Post(path.c_str(), body, content_type);
        else if (method == "PUT")
            result = client->Put(path.c_str(), body, content_type);
        else
            result = client->Delete(path.c_str());

        if (result) {
            response.status = result->status;
            response.body = result->body;
            response.headers = result->headers;
            release(std::move(client));
        } else {
            response.error = httplib::to_string(result.error());
        }
        if (metrics_ != nullptr) {
            metrics_
                ->counter("provider_api_calls_total", "Calls to provider APIs",
                          {{"provider", provider_},
                           {"method", method},
                           {"endpoint", endpoint},
                           {"status", std::to_string(response.status)}})
                .add();
        }
        const bool network_error = response.status == 0;
        if (!network_error && !retryable_status(response.status)) break;
        if (attempt == policy_.max_attempts) break;

        std::chrono::milliseconds wait = jitter(backoff);
        if (response.status == 429 || response.status == 423) {
            wait = policy_.default_retry_after;
            const std::string retry_after = response.header("Retry-After");
            if (!retry_after.empty()) {
                try {
                    wait = std::chrono::seconds(std::stol(retry_after));
                } catch (const std::exception&) {
                }
            }
            wait = std::clamp(wait, std::chrono::milliseconds(1000), policy_.max_retry_after);
        } else {
            backoff = std::min(backoff * 2, policy_.max_backoff);
        }
        if (network_error) {
            spdlog::warn("{} {} {} failed: {} error; retry {} in {} ms", provider_, method,
                         endpoint, response.error, attempt, wait.count());
        } else {
            spdlog::warn("{} {} {} answered {} (trackingId {}); retry {} in {} ms", provider_,
                         method, endpoint, response.status, response.header("Trackingid"), attempt,
                         wait.count());
        }
        if (metrics_ != nullptr) {
            metrics_
                ->counter("provider_api_retries_total", "Provider calls retried",
                          {{"provider", provider_}})
                .add();
        }
        if (!pause(wait)) {
            response.error = "cancelled";
            return response;
        }
    }
    if (!response.ok() && response.status != 0) {
        const auto parsed = nlohmann::json::parse(response.body, nullptr, false);
        if (parsed.is_object() && parsed.contains("message") && parsed["message"].is_string()) {
            response.error = parsed["message"].get<std::string>();
        } else {
            response.error = "HTTP " + std::to_string(response.status);
        }
        if (parsed.is_object() && parsed.contains("code") && parsed["code"].is_number_integer()) {
            response.provider_code = parsed["code"].get<int>();
        }
    }
    return response;
}

}  // namespace sb
