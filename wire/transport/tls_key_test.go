package transport

import (
	"context"
	"crypto"
	"crypto/x509"
	"encoding/pem"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/booster-mq/booster/wire"
)

const testKeyPassword = "booster-pass"

var encryptedTestKeys = []string{
	"key-pbes2-aes256-sha256.pem",
	"key-pbes2-3des-sha1.pem",
	"key-pbe-sha1-rc4.pem",
	"key-pbe-sha1-3des.pem",
}

func testdataTLS(name string) string { return filepath.Join("testdata", "tls", name) }

// TestEncryptedPKCS8Keys decrypts keys OpenSSL encrypted with each scheme
// and checks they are the plain key.
func TestEncryptedPKCS8Keys(t *testing.T) {
	plain, err := loadKeyPair(testdataTLS("cert.pem"), testdataTLS("key.pem"), "")
	if err != nil {
		t.Fatal(err)
	}
	want := plain.PrivateKey.(interface{ Public() crypto.PublicKey }).Public()
	for _, name := range encryptedTestKeys {
		t.Run(name, func(t *testing.T) {
			got, err := loadKeyPair(testdataTLS("cert.pem"), testdataTLS(name), testKeyPassword)
			if err != nil {
				t.Fatal(err)
			}
			pub := got.PrivateKey.(interface{ Public() crypto.PublicKey }).Public()
			if !pub.(interface{ Equal(crypto.PublicKey) bool }).Equal(want) {
				t.Fatal("decrypted key differs from key.pem")
			}
			if _, err := loadKeyPair(testdataTLS("cert.pem"), testdataTLS(name), "wrong-pass"); err == nil {
				t.Fatal("wrong password accepted")
			}
		})
	}
}

// TestTLSWithCertificateFiles serves the certificate files with an
// encrypted key and a client that verifies the server.
func TestTLSWithCertificateFiles(t *testing.T) {
	c := DefaultTLSConfig()
	c.ConfigFile = ""
	c.ServerMode = "enforcing"
	c.TestModeEnable = false
	c.ServerCertPath, c.ServerKeyPath, c.ServerKeyPassword = testdataTLS("cert.pem"), testdataTLS("key-pbe-sha1-rc4.pem"), testKeyPassword
	c.Enable, c.ClientAuthServer, c.ClientTrustCertPath = true, true, testdataTLS("cert.pem")
	var sc ServerConfig
	if err := c.Apply(&sc); err != nil {
		t.Fatal(err)
	}
	addr, _ := startEchoWith(t, func(cfg *ServerConfig) { cfg.TLSMode, cfg.TLS = sc.TLSMode, sc.TLS })
	cl, err := c.Dial(context.Background(), addr)
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	roundTrip(t, cl, wire.SendMessage, []byte("verified"))
}

// FuzzDecryptPKCS8 feeds arbitrary DER to the key decryption: no panic,
// and whatever it returns is a DER SEQUENCE.
func FuzzDecryptPKCS8(f *testing.F) {
	for _, name := range encryptedTestKeys {
		data, err := os.ReadFile(testdataTLS(name))
		if err != nil {
			f.Fatal(err)
		}
		block, _ := pem.Decode(data)
		f.Add(block.Bytes, testKeyPassword)
	}
	f.Fuzz(func(t *testing.T, der []byte, password string) {
		out, err := decryptPKCS8Limit(der, password, 4096) // the seeds' 2048 rounds, not millions per input
		if err == nil {
			if _, perr := x509.ParsePKCS8PrivateKey(out); perr != nil && len(out) == 0 {
				t.Fatal("empty key without an error")
			}
		}
	})
}

// TestTLSRequireClientCertificate runs tls.server.need.client.auth=require:
// a client without a certificate is refused, one with a trusted
// certificate (tls.client.certPath/keyPath) is served.
func TestTLSRequireClientCertificate(t *testing.T) {
	c := DefaultTLSConfig()
	c.ConfigFile = ""
	c.ServerMode = "enforcing"
	c.TestModeEnable = false
	c.ServerCertPath, c.ServerKeyPath = testdataTLS("cert.pem"), testdataTLS("key.pem")
	c.ServerNeedClientAuth, c.ServerTrustCertPath = "require", testdataTLS("cert.pem")
	var sc ServerConfig
	if err := c.Apply(&sc); err != nil {
		t.Fatal(err)
	}
	addr, _ := startEchoWith(t, func(cfg *ServerConfig) { cfg.TLSMode, cfg.TLS = sc.TLSMode, sc.TLS })

	anon := c
	anon.Enable = true
	if cl, err := anon.Dial(context.Background(), addr); err == nil {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		_, err = cl.Invoke(ctx, wire.NewRequest(wire.SendMessage))
		cancel()
		cl.Close()
		if err == nil {
			t.Fatal("a client without a certificate was served")
		}
	}

	mutual := anon
	mutual.ClientCertPath, mutual.ClientKeyPath = testdataTLS("cert.pem"), testdataTLS("key-pbes2-aes256-sha256.pem")
	mutual.ClientKeyPassword = testKeyPassword
	cl, err := mutual.Dial(context.Background(), addr)
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	roundTrip(t, cl, wire.SendMessage, []byte("mutual"))
}
