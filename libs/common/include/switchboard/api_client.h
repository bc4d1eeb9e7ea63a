#pragma once
// A client for a provider's REST API (Webex, Tropo, Twilio): base URL with a path prefix, a
// bearer token or HTTP Basic credentials, JSON or form bodies, keep-alive connections, and the
// retry rules of PROVIDERS.md: 429/423 wait Retry-After (seconds; 15 s when missing, at least 1 s),
// 5xx and network errors back off exponentially (capped, with jitter), other answers return at
// once. HTTPS verifies certificates.
#include <httplib.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "switchboard/metrics.h"

namespace sb {

struct RetryPolicy {
    int max_attempts = 8;
    std::chrono::milliseconds first_backoff{200};
    std::chrono::milliseconds max_backoff{10000};
    std::chrono::milliseconds default_retry_after{15000};
    std::chrono::milliseconds max_retry_after{120000};
    std::chrono::seconds connect_timeout{5};
    std::chrono::seconds read_timeout{30};
};

struct ApiResponse {
    int status = 0;  // 0: no HTTP answer (network error, cancelled)
    std::string body;
    httplib::Headers headers;
    std::string error;  // why there is no answer, or the provider's error message
    int attempts = 0;
    // The provider's numeric error code from an error body's "code" (Twilio: {"code": 21211,
    // "message": …, "more_info": …, "status": 400}); 0 when there is none.
    int provider_code = 0;
    bool ok() const { return status >= 200 && status < 300; }
    std::string header(const std::string& name) const;
};

// scheme://host[:port] and the path prefix of a base URL such as "https://webexapis.com/v1".
struct BaseUrl {
    std::string origin;
    std::string prefix;
    static std::optional<BaseUrl> parse(const std::string& url);
};

// HTTP Basic credentials (Twilio: Account SID and Auth Token, or an API key's SID and secret).
// Never logged.
struct BasicAuth {
    std::string user;
    std::string password;
};

// Name/value pairs of an application/x-www-form-urlencoded body, in order; a name may repeat
// (Twilio's MediaUrl).
using FormParams = std::vector<std::pair<std::string, std::string>>;
// name=value&… with each name and value percent-encoded (RFC 3986 unreserved characters kept,
// everything else %XX of its UTF-8 bytes, so a space is %20, which every form decoder reads).
std::string form_encode(const FormParams& params);

// The URL of rel="next" in an RFC 5988 Link header, parsed leniently; empty when none.
std::string next_link(const std::string& link_header);

class ApiClient {
  public:
    // Throws std::invalid_argument for a base URL that is not http(s)://host[:port][/prefix].
    ApiClient(const std::string& base_url, std::string bearer_token, std::string provider,
              Metrics* metrics = nullptr, RetryPolicy policy = {});
    // The same with HTTP Basic authentication instead of a bearer token.
    ApiClient(const std::string& base_url, BasicAuth credentials, std::string provider,
              Metrics* metrics = nullptr, RetryPolicy policy = {});
    ~ApiClient();

    // `target` is a path under the base ("/rooms?max=100") or an absolute URL of the same
    // origin (a Link: rel="next" URL). Another origin is refused: the token never leaves.
    ApiResponse get(const std::string& target);
    ApiResponse post_json(const std::string& target, const std::string& json_body);
    ApiResponse put_json(const std::string& target, const std::string& json_body);
    ApiResponse post_form(const std::string& target, const FormParams& params);
    ApiResponse del(const std::string& target);

    // Ends waits between retries at once (for shutdown); later calls fail fast.
    void cancel();

    const BaseUrl& base() const { return base_; }

  private:
    ApiResponse send(const std::string& method, const std::string& target, const std::string& body,
                     const char* content_type = "application/json");
    std::unique_ptr<httplib::Client> acquire();
    void release(std::unique_ptr<httplib::Client> client);
    bool pause(std::chrono::milliseconds duration);  // false when cancelled
    std::string endpoint_label(const std::string& path) const;

    BaseUrl base_;
    std::string token_;
    std::optional<BasicAuth> basic_;
    std::string provider_;
    Metrics* metrics_;
    RetryPolicy policy_;
    std::mutex mutex_;
    std::condition_variable cancelled_cv_;
    std::vector<std::unique_ptr<httplib::Client>> idle_;
    std::atomic<bool> cancelled_{false};
};

}  // namespace sb
