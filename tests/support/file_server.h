#pragma once
// A tiny web server on loopback holding files at paths, as a gateway holds a customer's MMS
// picture for Webex to fetch: what the sandbox fetches when a post names a file by URL.
#include <httplib.h>

#include <map>
#include <mutex>
#include <string>
#include <thread>

namespace sb::testing {

class FileServer {
  public:
    FileServer();  // listening once constructed (throws when it cannot)
    ~FileServer();
    FileServer(const FileServer&) = delete;
    FileServer& operator=(const FileServer&) = delete;

    // `path` ("/media/a.png") answers 200 with these bytes; `status` other than 200 answers that.
    void put(const std::string& path, const std::string& content_type, std::string bytes,
             int status = 200);
    std::string url(const std::string& path) const;  // http://127.0.0.1:<port><path>
    int requests(const std::string& path) const;     // GETs of `path` so far

  private:
    struct File {
        std::string content_type, bytes;
        int status = 200;
    };
    httplib::Server server_;
    int port_ = 0;
    std::thread thread_;
    mutable std::mutex mutex_;
    std::map<std::string, File> files_;
    std::map<std::string, int> requests_;
};

}  // namespace sb::testing
