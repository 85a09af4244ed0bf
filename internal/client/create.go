package client

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"
)

// ErrCreateConflict is returned when a create's answer was lost and an entity with the
// same identifier exists but differs from what was sent: it is someone else's.
var ErrCreateConflict = errors.New("an entity with this identifier exists but differs from the one being created")

// createOnce sends a create POST so that it never creates twice.
//
// Blind retries happen in do() only where the server cannot have acted (429, 503, a
// failed dial). After an ambiguous failure (the connection dropped after the request was
// sent, a timeout, 500, 502, 504, a garbled 2xx body) it reads the entity by the
// identifier the caller chose: found means the create went through and the entity is
// returned; 404 means it did not and the POST is sent again, within MaxRetries. A 400
// "already exists" after an ambiguous attempt is our own earlier attempt and is
// resolved by the same read. same compares the found entity with the one sent, so an
// entity that someone else created is never adopted silently.
func createOnce[T any](ctx context.Context, c *Client, post call, get func(context.Context) (*T, error), same func(*T) bool) (*T, error) {
	post.createOnce = true
	ambiguous := false
	for attempt := 0; ; attempt++ {
		out := new(T)
		post.out = out
		err := c.do(ctx, post)
		if err == nil {
			return out, nil
		}
		if retry := isAmbiguous(err) || (ambiguous && IsAlreadyExists(err)); ctx.Err() != nil || !retry {
			return nil, err
		}
		ambiguous = true
		c.log(ctx, LevelWarn, "create answer lost; reading back before sending it again", map[string]any{"path": post.path, "attempt": attempt + 1, "error": scrub(err.Error(), c.apiKey)})
		found, gerr := get(ctx)
		switch {
		case gerr == nil && same(found):
			return found, nil
		case gerr == nil:
			return nil, fmt.Errorf("%s %s: %w (the first answer was lost: %w)", post.method, post.path, ErrCreateConflict, err)
		case !IsNotFound(gerr):
			return nil, fmt.Errorf("%w; reading back whether it was created also failed: %w", err, gerr)
		}
		if attempt >= c.maxRetries {
			return nil, fmt.Errorf("%w (sent %d times; each time its answer was lost and reading it back found nothing)", err, attempt+1)
		}
		if werr := sleepCtx(ctx, min(c.waitMin<<min(attempt, 5), c.waitMax)); werr != nil {
			return nil, fmt.Errorf("%w (%w)", err, werr)
		}
	}
}

func isAmbiguous(err error) bool {
	var re *RequestError
	if errors.As(err, &re) {
		return re.Sent
	}
	var de *DecodeError
	if errors.As(err, &de) {
		return true
	}
	switch StatusOf(err) {
	case http.StatusInternalServerError, http.StatusBadGateway, http.StatusGatewayTimeout:
		return true
	}
	return false
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
