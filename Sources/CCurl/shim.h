// Typed wrappers over libcurl's variadic entry points, which Swift cannot call directly.
#ifndef FTSERVICES_CCURL_SHIM_H
#define FTSERVICES_CCURL_SHIM_H

#include <curl/curl.h>
#include <sys/types.h>
#include <dlfcn.h>
#include <poll.h>
#include <stddef.h>

typedef size_t (*ccurl_data_callback)(char *ptr, size_t size, size_t nmemb, void *userdata);
typedef int (*ccurl_xferinfo_callback)(void *clientp, curl_off_t dltotal, curl_off_t dlnow,
                                       curl_off_t ultotal, curl_off_t ulnow);

static inline CURLcode ccurl_setopt_long(CURL *handle, CURLoption option, long value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode ccurl_setopt_string(CURL *handle, CURLoption option, const char *value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode ccurl_setopt_pointer(CURL *handle, CURLoption option, void *value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode ccurl_setopt_off_t(CURL *handle, CURLoption option, curl_off_t value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode ccurl_setopt_slist(CURL *handle, CURLoption option, struct curl_slist *value) {
    return curl_easy_setopt(handle, option, value);
}

/// For CURLOPT_WRITEFUNCTION, CURLOPT_READFUNCTION and CURLOPT_HEADERFUNCTION.
static inline CURLcode ccurl_setopt_data_callback(CURL *handle, CURLoption option, ccurl_data_callback value) {
    return curl_easy_setopt(handle, option, value);
}

/// For CURLOPT_XFERINFOFUNCTION.
static inline CURLcode ccurl_setopt_xferinfo_callback(CURL *handle, ccurl_xferinfo_callback value) {
    return curl_easy_setopt(handle, CURLOPT_XFERINFOFUNCTION, value);
}

static inline CURLcode ccurl_getinfo_long(CURL *handle, CURLINFO info, long *value) {
    return curl_easy_getinfo(handle, info, value);
}

static inline CURLcode ccurl_getinfo_double(CURL *handle, CURLINFO info, double *value) {
    return curl_easy_getinfo(handle, info, value);
}

static inline CURLcode ccurl_getinfo_off_t(CURL *handle, CURLINFO info, curl_off_t *value) {
    return curl_easy_getinfo(handle, info, value);
}

static inline CURLcode ccurl_getinfo_string(CURL *handle, CURLINFO info, const char **value) {
    char *raw = NULL;
    CURLcode code = curl_easy_getinfo(handle, info, &raw);
    *value = raw;
    return code;
}

static inline CURLcode ccurl_getinfo_pointer(CURL *handle, CURLINFO info, void **value) {
    return curl_easy_getinfo(handle, info, value);
}

/// CURLINFO_CERTINFO: one slist of "Key:value" lines per certificate in the peer's chain.
static inline CURLcode ccurl_getinfo_certinfo(CURL *handle, struct curl_certinfo **value) {
    return curl_easy_getinfo(handle, CURLINFO_CERTINFO, value);
}

/// CURLINFO_TLS_SSL_PTR: for OpenSSL builds, `internals` is the `SSL *` of the connection.
static inline CURLcode ccurl_getinfo_tls_session(CURL *handle, struct curl_tlssessioninfo **value) {
    return curl_easy_getinfo(handle, CURLINFO_TLS_SSL_PTR, value);
}

/// CURLINFO_ACTIVESOCKET, for waiting on a CURLOPT_CONNECT_ONLY connection.
static inline CURLcode ccurl_getinfo_socket(CURL *handle, curl_socket_t *value) {
    return curl_easy_getinfo(handle, CURLINFO_ACTIVESOCKET, value);
}

/// The negotiated protocol ("TLSv1.3") of the connection's OpenSSL session, or NULL.
/// Valid only while the transfer runs (call it from a callback). OpenSSL's SSL_get_version is
/// looked up at run time in the libssl that libcurl already loaded, so no OpenSSL headers are needed.
static inline const char *ccurl_tls_version(CURL *handle) {
    struct curl_tlssessioninfo *info = NULL;
    if (curl_easy_getinfo(handle, CURLINFO_TLS_SSL_PTR, &info) != CURLE_OK || info == NULL) return NULL;
    if (info->backend != CURLSSLBACKEND_OPENSSL || info->internals == NULL) return NULL;
    typedef const char *(*ssl_get_version_fn)(const void *);
    static ssl_get_version_fn get_version = NULL;
    if (get_version == NULL) {
        void *self = dlopen(NULL, RTLD_NOW);
        if (self == NULL) return NULL;
        get_version = (ssl_get_version_fn)dlsym(self, "SSL_get_version");
        if (get_version == NULL) return NULL;
    }
    return get_version(info->internals);
}

/// Waits until `socket` is readable (`for_reading` != 0) or writable; returns poll's result
/// (> 0 ready, 0 timed out, < 0 error).
static inline int ccurl_wait_socket(curl_socket_t socket, int for_reading, int timeout_ms) {
    struct pollfd fd;
    fd.fd = socket;
    fd.events = for_reading ? POLLIN : POLLOUT;
    fd.revents = 0;
    return poll(&fd, 1, timeout_ms);
}

/// The size of the buffer CURLOPT_ERRORBUFFER needs.
static inline size_t ccurl_error_size(void) { return CURL_ERROR_SIZE; }

/// CURL_GLOBAL_DEFAULT, a macro that Swift does not import.
static inline CURLcode ccurl_global_init(void) { return curl_global_init(CURL_GLOBAL_DEFAULT); }

#endif
