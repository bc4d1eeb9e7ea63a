// Which media are taken, their names, and the store that holds them for Webex.
#include <doctest/doctest.h>

#include <filesystem>

#include "media_fetch.h"
#include "media_store.h"
#include "process.h"

using namespace sb::twilio_gateway;

TEST_CASE("media: only pictures and a few safe types") {
    CHECK(allowed_media_type("image/jpeg"));
    CHECK(allowed_media_type("IMAGE/PNG; charset=binary"));
    CHECK(allowed_media_type("application/pdf"));
    CHECK(allowed_media_type("text/vcard"));
    CHECK_FALSE(allowed_media_type("image/svg+xml"));
    CHECK_FALSE(allowed_media_type("image/"));
    CHECK_FALSE(allowed_media_type("text/html"));
    CHECK_FALSE(allowed_media_type("application/octet-stream"));
    CHECK_FALSE(allowed_media_type(""));
}

TEST_CASE("media: file names for the room") {
    CHECK(media_file_name("image/jpeg", 0) == "picture-1.jpg");
    CHECK(media_file_name("image/png", 1) == "picture-2.png");
    CHECK(media_file_name("application/pdf", 2) == "attachment-3.pdf");
    CHECK(media_file_name("text/x-vcard", 0) == "attachment-1.vcf");
}

TEST_CASE("media: the store keeps bytes and type under an unguessable token") {
    const std::string dir = sb::testing::make_temp_dir("twilio-media");
    MediaStore store(dir, std::chrono::hours(24));
    const std::string token =
        store.put(std::string("\x89PNG\0\x01", 6), "image/png", "picture-1.png");
    CHECK(MediaStore::is_token(token));
    CHECK(store.put("x", "image/png", "p") != token);
    const auto held = store.get(token);
    REQUIRE(held);
    CHECK(held->bytes == std::string("\x89PNG\0\x01", 6));
    CHECK(held->content_type == "image/png");
    CHECK(held->name == "picture-1.png");
    CHECK_FALSE(store.get(std::string(64, '0')));
    CHECK_FALSE(store.get("../" + token));
    CHECK_FALSE(store.get(token.substr(1)));
    // Expired: not served, and swept.
    MediaStore expired(dir, std::chrono::seconds(0));
    CHECK_FALSE(expired.get(token));
    CHECK(expired.sweep() == 2);
    CHECK_FALSE(store.get(token));
    std::filesystem::remove_all(dir);
}
