#include "twilio_signing.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>

#include "switchboard/text.h"

namespace sb::testing {

std::string form_body(const FormParams& params) {
    std::string body;
    for (const auto& [name, value] : params) {
        if (!body.empty()) body += '&';
        body += percent_encode(name) + "=" + percent_encode(value);
    }
    return body;
}

std::string base64_of(const std::string& bytes) {
    std::string encoded(4 * ((bytes.size() + 2) / 3) + 1, '\0');
    const int written = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(encoded.data()),
                                        reinterpret_cast<const unsigned char*>(bytes.data()),
                                        static_cast<int>(bytes.size()));
    encoded.resize(static_cast<std::size_t>(written));
    return encoded;
}

std::string twilio_sign(const std::string& token, const std::string& url,
                        const FormParams& params) {
    FormParams sorted = params;
    std::sort(sorted.begin(), sorted.end());  // by name, then value: byte order
    std::string data = url;
    for (const auto& [name, value] : sorted) data += name + value;
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int size = 0;
    HMAC(EVP_sha1(), token.data(), static_cast<int>(token.size()),
         reinterpret_cast<const unsigned char*>(data.data()), data.size(), digest, &size);
    std::string encoded(4 * ((size + 2) / 3) + 1, '\0');
    const int written = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(encoded.data()), digest,
                                        static_cast<int>(size));
    encoded.resize(static_cast<std::size_t>(written));
    return encoded;
}

}  // namespace sb::testing
