package transport

// TLS settings of the remoting port and of outgoing connections, under
// Apache RocketMQ's keys (TlsSystemConfig): Apache reads them as system
// properties and from the file named by tls.config.file; Booster reads them
// from broker.conf / the NameServer's config and from that file, whose
// values win as in Apache's TlsHelper.

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"os"
	"strings"
	"time"

	"github.com/booster-mq/booster/compat"
)

// TLSMode is how the remoting port treats TLS (Apache's TlsMode).
type TLSMode uint8

const (
	// TLSPermissive serves TLS and plaintext connections on the same port:
	// a connection whose first byte is a TLS handshake record (0x16) is
	// TLS. Apache's default.
	TLSPermissive TLSMode = iota
	// TLSDisabled serves plaintext only; a TLS handshake is closed.
	TLSDisabled
	// TLSEnforcing serves TLS only; a plaintext connection is closed.
	TLSEnforcing
)

// String returns Apache's name of the mode.
func (m TLSMode) String() string {
	switch m {
	case TLSDisabled:
		return "disabled"
	case TLSEnforcing:
		return "enforcing"
	default:
		return "permissive"
	}
}

// ParseTLSMode parses "disabled", "permissive" or "enforcing".
func ParseTLSMode(s string) (TLSMode, error) {
	switch s {
	case "disabled":
		return TLSDisabled, nil
	case "permissive":
		return TLSPermissive, nil
	case "enforcing":
		return TLSEnforcing, nil
	}
	return TLSPermissive, fmt.Errorf("tls.server.mode %q: want disabled, permissive or enforcing", s)
}

// DefaultTLSConfigFile is Apache's default tls.config.file; it is read
// only when it exists.
const DefaultTLSConfigFile = "/etc/rocketmq/tls.properties"

// TLSConfig holds Apache's TLS keys. Embed it in a server's config struct:
// the conf tags are the keys.
type TLSConfig struct {
	// ServerMode is tls.server.mode: disabled, permissive (Apache's
	// default) or enforcing.
	ServerMode string `conf:"tls.server.mode"`
	// TestModeEnable (tls.test.mode.enable, default true) serves a
	// self-signed certificate made at start when no certificate is
	// configured, and lets outgoing connections skip verifying the server.
	TestModeEnable bool `conf:"tls.test.mode.enable"`
	// ServerCertPath and ServerKeyPath are PEM files: the certificate
	// chain and its private key (PKCS#8, PKCS#1 or SEC 1).
	ServerCertPath string `conf:"tls.server.certPath"`
	ServerKeyPath  string `conf:"tls.server.keyPath"`
	// ServerKeyPassword decrypts an encrypted PKCS#8 key (PBES2, or the
	// PKCS#12 SHA-1 schemes; tls_key.go) or a legacy encrypted PEM one.
	ServerKeyPassword string `conf:"tls.server.keyPassword"`
	// ServerNeedClientAuth is none, optional or require (case-insensitive;
	// anything else is none, as in Apache).
	ServerNeedClientAuth string `conf:"tls.server.need.client.auth"`
	// ServerTrustCertPath holds the CA certificates client certificates
	// are verified against; empty means the system's.
	ServerTrustCertPath string `conf:"tls.server.trustCertPath"`
	// Enable (tls.enable) makes outgoing connections (registration with
	// the NameServer) use TLS; an enforcing server's do regardless, as
	// Apache's NettyClientConfig defaults useTLS to mode == enforcing.
	Enable bool `conf:"tls.enable"`
	// ClientCertPath, ClientKeyPath and ClientKeyPassword are the
	// certificate outgoing connections present, if any.
	ClientCertPath      string `conf:"tls.client.certPath"`
	ClientKeyPath       string `conf:"tls.client.keyPath"`
	ClientKeyPassword   string `conf:"tls.client.keyPassword"`
	ClientAuthServer    bool   `conf:"tls.client.authServer"`
	ClientTrustCertPath string `conf:"tls.client.trustCertPath"`
	// ConfigFile is tls.config.file, a properties file with any of the
	// keys above; its values override the others. Read when it exists.
	ConfigFile string `conf:"tls.config.file"`
}

// DefaultTLSConfig returns Apache's defaults: permissive, test mode on.
func DefaultTLSConfig() TLSConfig {
	return TLSConfig{
		ServerMode:           "permissive",
		TestModeEnable:       true,
		ServerNeedClientAuth: "none",
		ConfigFile:           DefaultTLSConfigFile,
	}
}

// Validate reports an unknown mode.
func (c *TLSConfig) Validate() error {
	_, err := ParseTLSMode(c.ServerMode)
	return err
}

// Mode returns the parsed server mode (permissive when invalid).
func (c *TLSConfig) Mode() TLSMode {
	m, _ := ParseTLSMode(c.ServerMode)
	return m
}

// Resolve returns c with the values of its ConfigFile applied, when that
// file exists.
func (c TLSConfig) Resolve() (TLSConfig, error) {
	if c.ConfigFile == "" {
		return c, nil
	}
	f, err := os.Open(c.ConfigFile)
	if errors.Is(err, os.ErrNotExist) {
		return c, nil
	}
	if err != nil {
		return c, fmt.Errorf("tls.config.file: %w", err)
	}
	defer f.Close()
	props, err := compat.ReadProperties(f)
	if err != nil {
		return c, fmt.Errorf("tls.config.file %s: %w", c.ConfigFile, err)
	}
	for _, p := range props {
		if !strings.HasPrefix(p.Key, "tls.") || p.Key == "tls.config.file" {
			continue
		}
		if _, err := compat.SetConf(&c, p.Key, p.Value); err != nil {
			return c, fmt.Errorf("tls.config.file %s line %d: %w", c.ConfigFile, p.Line, err)
		}
	}
	return c, c.Validate()
}

// ServerTLS returns the crypto/tls configuration of the remoting port:
// nil in disabled mode, or when no certificate is configured and test mode
// is off (TLS handshakes are then closed with a log line, as Apache does
// without an SslContext).
func (c *TLSConfig) ServerTLS() (*tls.Config, error) {
	if c.Mode() == TLSDisabled {
		return nil, nil
	}
	var cert tls.Certificate
	var err error
	switch {
	case c.ServerCertPath != "" || c.ServerKeyPath != "":
		cert, err = loadKeyPair(c.ServerCertPath, c.ServerKeyPath, c.ServerKeyPassword)
		if err != nil {
			return nil, fmt.Errorf("tls.server.certPath/keyPath: %w", err)
		}
	case c.TestModeEnable:
		cert, err = SelfSignedCertificate()
		if err != nil {
			return nil, err
		}
	default:
		return nil, nil
	}
	cfg := &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
	switch strings.ToUpper(strings.TrimSpace(c.ServerNeedClientAuth)) {
	case "OPTIONAL":
		cfg.ClientAuth = tls.VerifyClientCertIfGiven
	case "REQUIRE":
		cfg.ClientAuth = tls.RequireAndVerifyClientCert
	}
	if c.ServerTrustCertPath != "" {
		pool, err := loadPool(c.ServerTrustCertPath)
		if err != nil {
			return nil, fmt.Errorf("tls.server.trustCertPath: %w", err)
		}
		cfg.ClientCAs = pool
	}
	return cfg, nil
}

// ClientTLS returns the crypto/tls configuration of outgoing connections,
// nil when they are plaintext (tls.enable false and the server mode not
// enforcing). The server is verified only with tls.client.authServer and
// test mode off, as in Apache.
func (c *TLSConfig) ClientTLS() (*tls.Config, error) {
	if !c.Enable && c.Mode() != TLSEnforcing {
		return nil, nil
	}
	cfg := &tls.Config{MinVersion: tls.VersionTLS12}
	if c.TestModeEnable || !c.ClientAuthServer {
		cfg.InsecureSkipVerify = true //nolint:gosec // Apache's clients trust any server unless tls.client.authServer is set
	} else if c.ClientTrustCertPath != "" {
		pool, err := loadPool(c.ClientTrustCertPath)
		if err != nil {
			return nil, fmt.Errorf("tls.client.trustCertPath: %w", err)
		}
		cfg.RootCAs = pool
	}
	if !c.TestModeEnable && c.ClientCertPath != "" {
		cert, err := loadKeyPair(c.ClientCertPath, c.ClientKeyPath, c.ClientKeyPassword)
		if err != nil {
			return nil, fmt.Errorf("tls.client.certPath/keyPath: %w", err)
		}
		cfg.Certificates = []tls.Certificate{cert}
	}
	return cfg, nil
}

// loadPool reads PEM CA certificates.
func loadPool(path string) (*x509.CertPool, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(b) {
		return nil, fmt.Errorf("%s: no PEM certificate", path)
	}
	return pool, nil
}

// loadKeyPair reads a PEM certificate chain and its key, decrypting a
// legacy encrypted PEM key with password.
func loadKeyPair(certPath, keyPath, password string) (tls.Certificate, error) {
	certPEM, err := os.ReadFile(certPath)
	if err != nil {
		return tls.Certificate{}, err
	}
	keyPEM, err := os.ReadFile(keyPath)
	if err != nil {
		return tls.Certificate{}, err
	}
	block, _ := pem.Decode(keyPEM)
	if block == nil {
		return tls.Certificate{}, fmt.Errorf("%s: no PEM key", keyPath)
	}
	if block.Type == "ENCRYPTED PRIVATE KEY" {
		der, err := decryptPKCS8(block.Bytes, password)
		if err != nil {
			return tls.Certificate{}, fmt.Errorf("%s: %w", keyPath, err)
		}
		keyPEM = pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})
	}
	//lint:ignore SA1019 legacy PEM encryption is what tls.server.keyPassword can decrypt
	if x509.IsEncryptedPEMBlock(block) { //nolint:staticcheck // see above
		if password == "" {
			return tls.Certificate{}, fmt.Errorf("%s: key is encrypted and no keyPassword is set", keyPath)
		}
		der, err := x509.DecryptPEMBlock(block, []byte(password)) //nolint:staticcheck // see above
		if err != nil {
			return tls.Certificate{}, fmt.Errorf("%s: %w", keyPath, err)
		}
		keyPEM = pem.EncodeToMemory(&pem.Block{Type: block.Type, Bytes: der})
	}
	return tls.X509KeyPair(certPEM, keyPEM)
}

// SelfSignedCertificate makes a fresh P-256 certificate for "localhost"
// and the loopback addresses, valid ten years (Apache's test mode).
func SelfSignedCertificate() (tls.Certificate, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return tls.Certificate{}, err
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 62))
	if err != nil {
		return tls.Certificate{}, err
	}
	tpl := &x509.Certificate{
		SerialNumber: serial,
		Subject:      pkix.Name{CommonName: "booster"},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(10 * 365 * 24 * time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		DNSNames:     []string{"localhost"},
	}
	der, err := x509.CreateCertificate(rand.Reader, tpl, tpl, &key.PublicKey, key)
	if err != nil {
		return tls.Certificate{}, err
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}, nil
}

// Apply resolves c's ConfigFile and sets sc's TLS mode and certificate.
func (c TLSConfig) Apply(sc *ServerConfig) error {
	r, err := c.Resolve()
	if err != nil {
		return err
	}
	if err := r.Validate(); err != nil {
		return err
	}
	srv, err := r.ServerTLS()
	if err != nil {
		return err
	}
	if srv == nil && r.Mode() == TLSEnforcing {
		return errors.New("tls.server.mode=enforcing needs a certificate (tls.server.certPath and tls.server.keyPath) or tls.test.mode.enable=true")
	}
	sc.TLSMode, sc.TLS = r.Mode(), srv
	return nil
}

// Dial dials addr with the outgoing-connection TLS settings of c
// (plaintext unless tls.enable or an enforcing server mode).
func (c TLSConfig) Dial(ctx context.Context, addr string) (*Client, error) {
	r, err := c.Resolve()
	if err != nil {
		return nil, err
	}
	ct, err := r.ClientTLS()
	if err != nil {
		return nil, err
	}
	return DialTLS(ctx, addr, ct)
}
