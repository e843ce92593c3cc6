package broker

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"

	"github.com/booster-mq/booster/codec"
	"github.com/booster-mq/booster/store"
)

// readConfigFile decodes the JSON file at path (or its .bak, as Java's
// ConfigManager falls back to) into v. Java's fastjson writes integer map
// keys unquoted; those are quoted first. A missing or empty file leaves v
// alone and reports false.
func readConfigFile(path string, v any) (bool, error) {
	data, err := store.ReadFileWithBak(path)
	if errors.Is(err, os.ErrNotExist) || (err == nil && len(data) == 0) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	if err := json.Unmarshal(codec.QuoteNumericKeys(data), v); err != nil {
		return false, fmt.Errorf("%s: %w", path, err)
	}
	return true, nil
}
