package transport

// Encrypted PKCS#8 private keys ("ENCRYPTED PRIVATE KEY", RFC 5208), which
// Apache's tls.server.keyPassword / tls.client.keyPassword decrypt through
// Netty: PBES2 (PBKDF2 with HMAC-SHA1/SHA-224/SHA-256/SHA-384/SHA-512, then
// AES-128/192/256-CBC or DES-EDE3-CBC; openssl pkcs8 -topk8 -v2 ...) and
// the PKCS#12 schemes pbeWithSHAAnd128BitRC4 (Apache's documented
// `openssl pkcs8 -topk8 -v1 PBE-SHA1-RC4-128`) and
// pbeWithSHAAnd3-KeyTripleDES-CBC (RFC 7292 appendix B key derivation).

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/des"
	"crypto/pbkdf2"
	"crypto/rc4"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/asn1"
	"errors"
	"fmt"
	"hash"
	"unicode/utf16"
)

// errKeyPassword is returned when a key does not decrypt with the password.
var errKeyPassword = errors.New("wrong keyPassword or damaged key")

var (
	oidPBES2           = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 5, 13}
	oidPBKDF2          = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 5, 12}
	oidHMACSHA1        = asn1.ObjectIdentifier{1, 2, 840, 113549, 2, 7}
	oidHMACSHA224      = asn1.ObjectIdentifier{1, 2, 840, 113549, 2, 8}
	oidHMACSHA256      = asn1.ObjectIdentifier{1, 2, 840, 113549, 2, 9}
	oidHMACSHA384      = asn1.ObjectIdentifier{1, 2, 840, 113549, 2, 10}
	oidHMACSHA512      = asn1.ObjectIdentifier{1, 2, 840, 113549, 2, 11}
	oidAES128CBC       = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 1, 2}
	oidAES192CBC       = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 1, 22}
	oidAES256CBC       = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 1, 42}
	oidDESEDE3CBC      = asn1.ObjectIdentifier{1, 2, 840, 113549, 3, 7}
	oidPBEWithSHARC4   = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 12, 1, 1}
	oidPBEWithSHA3DES  = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 12, 1, 3}
	maxKeyIterations   = 1 << 20
	errKeyIterations   = errors.New("iteration count out of range")
	errKeyUnsupported  = errors.New("unsupported key encryption")
	errKeyMalformedDER = errors.New("malformed encrypted key")
)

type algorithmIdentifier struct {
	Algorithm  asn1.ObjectIdentifier
	Parameters asn1.RawValue `asn1:"optional"`
}

type encryptedPrivateKeyInfo struct {
	Algorithm     algorithmIdentifier
	EncryptedData []byte
}

type pbes2Params struct {
	KeyDerivationFunc algorithmIdentifier
	EncryptionScheme  algorithmIdentifier
}

type pbkdf2Params struct {
	Salt           []byte
	IterationCount int
	KeyLength      int                 `asn1:"optional"`
	PRF            algorithmIdentifier `asn1:"optional"`
}

type pkcs12PBEParams struct {
	Salt       []byte
	Iterations int
}

// decryptPKCS8 returns the PKCS#8 DER inside an EncryptedPrivateKeyInfo.
func decryptPKCS8(der []byte, password string) ([]byte, error) {
	return decryptPKCS8Limit(der, password, maxKeyIterations)
}

// decryptPKCS8Limit is decryptPKCS8 refusing more than maxIter key
// derivation rounds.
func decryptPKCS8Limit(der []byte, password string, maxIter int) ([]byte, error) {
	var info encryptedPrivateKeyInfo
	if rest, err := asn1.Unmarshal(der, &info); err != nil || len(rest) > 0 {
		return nil, errKeyMalformedDER
	}
	alg := info.Algorithm
	switch {
	case alg.Algorithm.Equal(oidPBES2):
		return decryptPBES2(alg.Parameters.FullBytes, info.EncryptedData, password, maxIter)
	case alg.Algorithm.Equal(oidPBEWithSHARC4), alg.Algorithm.Equal(oidPBEWithSHA3DES):
		var p pkcs12PBEParams
		if rest, err := asn1.Unmarshal(alg.Parameters.FullBytes, &p); err != nil || len(rest) > 0 {
			return nil, errKeyMalformedDER
		}
		if p.Iterations <= 0 || p.Iterations > maxIter {
			return nil, errKeyIterations
		}
		pw := bmpPassword(password)
		if alg.Algorithm.Equal(oidPBEWithSHARC4) {
			key := pkcs12KDF(pw, p.Salt, p.Iterations, 1, 16)
			c, err := rc4.NewCipher(key)
			if err != nil {
				return nil, err
			}
			out := make([]byte, len(info.EncryptedData))
			c.XORKeyStream(out, info.EncryptedData)
			return checkPKCS8(out)
		}
		key := pkcs12KDF(pw, p.Salt, p.Iterations, 1, 24)
		iv := pkcs12KDF(pw, p.Salt, p.Iterations, 2, 8)
		block, err := des.NewTripleDESCipher(key)
		if err != nil {
			return nil, err
		}
		return cbcDecrypt(block, iv, info.EncryptedData)
	}
	return nil, fmt.Errorf("%w: %v", errKeyUnsupported, alg.Algorithm)
}

func decryptPBES2(params, data []byte, password string, maxIter int) ([]byte, error) {
	var p pbes2Params
	if rest, err := asn1.Unmarshal(params, &p); err != nil || len(rest) > 0 {
		return nil, errKeyMalformedDER
	}
	if !p.KeyDerivationFunc.Algorithm.Equal(oidPBKDF2) {
		return nil, fmt.Errorf("%w: key derivation %v", errKeyUnsupported, p.KeyDerivationFunc.Algorithm)
	}
	var kdf pbkdf2Params
	if rest, err := asn1.Unmarshal(p.KeyDerivationFunc.Parameters.FullBytes, &kdf); err != nil || len(rest) > 0 {
		return nil, errKeyMalformedDER
	}
	if kdf.IterationCount <= 0 || kdf.IterationCount > maxIter {
		return nil, errKeyIterations
	}
	var newHash func() hash.Hash
	switch prf := kdf.PRF.Algorithm; {
	case len(prf) == 0, prf.Equal(oidHMACSHA1):
		newHash = sha1.New
	case prf.Equal(oidHMACSHA224):
		newHash = sha256.New224
	case prf.Equal(oidHMACSHA256):
		newHash = sha256.New
	case prf.Equal(oidHMACSHA384):
		newHash = sha512.New384
	case prf.Equal(oidHMACSHA512):
		newHash = sha512.New
	default:
		return nil, fmt.Errorf("%w: PRF %v", errKeyUnsupported, prf)
	}
	var keyLen int
	var newCipher func([]byte) (cipher.Block, error)
	switch enc := p.EncryptionScheme.Algorithm; {
	case enc.Equal(oidAES128CBC):
		keyLen, newCipher = 16, aes.NewCipher
	case enc.Equal(oidAES192CBC):
		keyLen, newCipher = 24, aes.NewCipher
	case enc.Equal(oidAES256CBC):
		keyLen, newCipher = 32, aes.NewCipher
	case enc.Equal(oidDESEDE3CBC):
		keyLen, newCipher = 24, des.NewTripleDESCipher
	default:
		return nil, fmt.Errorf("%w: cipher %v", errKeyUnsupported, enc)
	}
	if kdf.KeyLength != 0 && kdf.KeyLength != keyLen {
		return nil, errKeyMalformedDER
	}
	var iv []byte
	if rest, err := asn1.Unmarshal(p.EncryptionScheme.Parameters.FullBytes, &iv); err != nil || len(rest) > 0 {
		return nil, errKeyMalformedDER
	}
	key, err := pbkdf2.Key(newHash, password, kdf.Salt, kdf.IterationCount, keyLen)
	if err != nil {
		return nil, err
	}
	block, err := newCipher(key)
	if err != nil {
		return nil, err
	}
	return cbcDecrypt(block, iv, data)
}

// cbcDecrypt decrypts and removes the PKCS#7 padding.
func cbcDecrypt(block cipher.Block, iv, data []byte) ([]byte, error) {
	bs := block.BlockSize()
	if len(iv) != bs || len(data) == 0 || len(data)%bs != 0 {
		return nil, errKeyMalformedDER
	}
	out := make([]byte, len(data))
	cipher.NewCBCDecrypter(block, iv).CryptBlocks(out, data)
	pad := int(out[len(out)-1])
	if pad == 0 || pad > bs || !bytes.Equal(out[len(out)-pad:], bytes.Repeat([]byte{byte(pad)}, pad)) {
		return nil, errKeyPassword
	}
	return checkPKCS8(out[:len(out)-pad])
}

// checkPKCS8 insists that the decryption looks like DER (a wrong
// password yields noise).
func checkPKCS8(der []byte) ([]byte, error) {
	var raw asn1.RawValue
	if rest, err := asn1.Unmarshal(der, &raw); err != nil || len(rest) > 0 || raw.Tag != asn1.TagSequence {
		return nil, errKeyPassword
	}
	return der, nil
}

// bmpPassword is a PKCS#12 password: UTF-16BE with a two-byte terminator.
func bmpPassword(s string) []byte {
	u := utf16.Encode([]rune(s))
	out := make([]byte, 0, 2*len(u)+2)
	for _, r := range u {
		out = append(out, byte(r>>8), byte(r))
	}
	return append(out, 0, 0)
}

// pkcs12KDF is RFC 7292 appendix B.2 with SHA-1: n bytes of key material
// of purpose id (1 key, 2 IV).
func pkcs12KDF(password, salt []byte, iterations int, id byte, n int) []byte {
	const v, u = 64, sha1.Size
	fill := func(src []byte) []byte {
		if len(src) == 0 {
			return nil
		}
		out := make([]byte, v*((len(src)+v-1)/v))
		for i := range out {
			out[i] = src[i%len(src)]
		}
		return out
	}
	d := bytes.Repeat([]byte{id}, v)
	in := append(fill(salt), fill(password)...)
	var out []byte
	for len(out) < n {
		h := sha1.New()
		h.Write(d)
		h.Write(in)
		a := h.Sum(nil)
		for i := 1; i < iterations; i++ {
			s := sha1.Sum(a)
			a = s[:]
		}
		out = append(out, a...)
		if len(out) >= n {
			break
		}
		b := fill(a[:u])
		for j := 0; j < len(in); j += v {
			carry := 1
			for k := v - 1; k >= 0; k-- {
				sum := int(in[j+k]) + int(b[k]) + carry
				in[j+k] = byte(sum)
				carry = sum >> 8
			}
		}
	}
	return out[:n]
}
