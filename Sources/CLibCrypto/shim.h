#include <openssl/hmac.h>
#include <openssl/crypto.h>
