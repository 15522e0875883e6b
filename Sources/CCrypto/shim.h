/* OpenSSL's libcrypto, for SHA-256 over backup archives (EVP digests only). */
#include <openssl/evp.h>
