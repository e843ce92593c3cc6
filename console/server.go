package console

import (
	"context"
	"crypto/tls"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"time"

	"github.com/booster-mq/booster/admin"
)

//go:embed static
var static embed.FS

// Config says where the console listens and which NameServers it asks.
type Config struct {
	// Host is the listen host ("" = every interface).
	Host string
	// Port is the listen port; 0 turns the console off.
	Port int
	// Namesrv lists the NameServer addresses (host:port).
	Namesrv []string
	// Timeout bounds each remoting call (default 3 s).
	Timeout time.Duration
	// TLS, when set, is used for every remoting connection (the broker's
	// outgoing TLS settings: tls.enable, or an enforcing server mode).
	TLS *tls.Config
}

// Server is a running console. Its handlers may run concurrently; the
// only shared state is the connection pool, which guards itself.
type Server struct {
	log  *slog.Logger
	cli  client
	ln   net.Listener
	http *http.Server
	done chan struct{}
}

// Start listens on cfg.Host:cfg.Port and serves the console. It returns
// nil, nil when cfg.Port is 0.
func Start(cfg Config, log *slog.Logger) (*Server, error) {
	if cfg.Port == 0 {
		return nil, nil
	}
	if log == nil {
		log = slog.Default()
	}
	s := New(cfg, log)
	ln, err := net.Listen("tcp", net.JoinHostPort(cfg.Host, strconv.Itoa(cfg.Port)))
	if err != nil {
		s.cli.Close()
		return nil, fmt.Errorf("console (consolePort %d): %w", cfg.Port, err)
	}
	s.ln = ln
	s.http = &http.Server{Handler: s.Handler(), ReadHeaderTimeout: 10 * time.Second}
	go func() {
		defer close(s.done)
		if err := s.http.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			s.log.Error("console stopped", "err", err)
		}
	}()
	log.Info("console started", "addr", "http://"+ln.Addr().String())
	return s, nil
}

// New returns a console that is not listening; Handler serves it.
func New(cfg Config, log *slog.Logger) *Server {
	if cfg.Timeout <= 0 {
		cfg.Timeout = 3 * time.Second
	}
	if log == nil {
		log = slog.Default()
	}
	return &Server{log: log.With("component", "console"), cli: client{admin.New(admin.Config{Namesrv: cfg.Namesrv, Timeout: cfg.Timeout, TLS: cfg.TLS})}, done: make(chan struct{})}
}

// Addr is the listen address ("" when not listening).
func (s *Server) Addr() string {
	if s == nil || s.ln == nil {
		return ""
	}
	return s.ln.Addr().String()
}

// Close stops listening, waits for running requests (up to 5 s) and closes
// the remoting connections. A nil Server is closed already.
func (s *Server) Close() error {
	if s == nil {
		return nil
	}
	var err error
	if s.http != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		err = s.http.Shutdown(ctx)
		cancel()
		<-s.done
	}
	s.cli.Close()
	return err
}

// Handler returns the console's routes: the page and its assets, and the
// JSON API under /api/. POSTs from another site's page are refused
// (http.CrossOriginProtection), and a POST must carry a JSON content type,
// which a cross-site form cannot send without a preflight.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	for _, r := range []struct {
		pattern string
		h       func(*http.Request) (any, error)
	}{
		{"GET /api/cluster", s.apiCluster},
		{"GET /api/stats", s.apiStats},
		{"GET /api/topics", s.apiTopics},
		{"GET /api/topic", s.apiTopic},
		{"POST /api/topic", s.apiUpdateTopic},
		{"GET /api/groups", s.apiGroups},
		{"GET /api/group", s.apiGroup},
		{"POST /api/group", s.apiUpdateGroup},
		{"GET /api/message", s.apiMessage},
		{"GET /api/messages", s.apiBrowse},
		{"GET /api/dlq", s.apiDLQ},
	} {
		mux.HandleFunc(r.pattern, s.serveJSON(r.h))
	}
	assets, _ := fs.Sub(static, "static") // the directory is embedded
	mux.Handle("GET /", http.FileServerFS(assets))
	return http.NewCrossOriginProtection().Handler(mux)
}

// apiError is an error with the HTTP status it answers.
type apiError struct {
	status int
	msg    string
}

func (e *apiError) Error() string { return e.msg }

// badRequest is a 400 answer.
func badRequest(format string, args ...any) error {
	return &apiError{status: http.StatusBadRequest, msg: fmt.Sprintf(format, args...)}
}

// serveJSON writes a handler's result as JSON, or {"error": text} with
// 400 (bad input) or 502 (the cluster failed).
func (s *Server) serveJSON(h func(*http.Request) (any, error)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		var v any
		var err error
		if r.Method == http.MethodPost && r.Header.Get("Content-Type") != "application/json" {
			err = &apiError{status: http.StatusUnsupportedMediaType, msg: "a POST must carry Content-Type: application/json"}
		} else {
			v, err = h(r)
		}
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Cache-Control", "no-store")
		if err != nil {
			status := http.StatusBadGateway
			var ae *apiError
			if errors.As(err, &ae) {
				status = ae.status
			}
			s.log.Debug("api error", "path", r.URL.Path, "err", err)
			w.WriteHeader(status)
			v = map[string]string{"error": err.Error()}
		}
		if err := json.NewEncoder(w).Encode(v); err != nil {
			s.log.Debug("write api answer", "path", r.URL.Path, "err", err)
		}
	}
}
