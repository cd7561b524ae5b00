package api

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"net/http"
	"sync"
	"time"

	"github.com/brandlift/brandlift/frontend"
	"github.com/brandlift/brandlift/survey"
	"github.com/brandlift/brandlift/survey/store"
	"github.com/labstack/echo/v4"
)

// maxPlans bounds the survey plans kept: one per study, language and
// kind of link (with or without language links). Past it the cache
// starts over, which costs a render per plan.
const maxPlans = 2048

// planKey names one survey plan.
type planKey struct {
	study, lang string
	languages   bool
}

// planEntry is a plan and the study it was made from. The store hands out
// a new copy of a study every couple of seconds (its cache's TTL), so a
// copy with the same page-shaping content (fingerprint) keeps the plan,
// and one that differs (edited questions, a new consent text) is planned
// again.
type planEntry struct {
	study       *survey.Study
	fingerprint [sha256.Size]byte
	plan        *frontend.SurveyPlan // nil: this page cannot be planned
	// building is set while one request checks or rebuilds the plan;
	// the others meanwhile use the plan they find, at most as old as the
	// study cache allows, or render the template.
	building bool
}

// planCache holds the survey plans of the studies being answered.
type planCache struct {
	mu    sync.Mutex
	plans map[planKey]planEntry
}

// studyFingerprint hashes what the page of a study is made of.
func studyFingerprint(st *survey.Study) [sha256.Size]byte {
	b, _ := json.Marshal(struct {
		PublicKey, Name, Brand string
		Locales                []string
		Consent                any
		ConsentVersion         int
		Questions              []survey.Question
	}{st.PublicKey, st.Name, st.Brand, st.Locales, st.Consent, st.ConsentVersion, st.Questions})
	return sha256.Sum256(b)
}

// plannedPage answers a first visit by who from the study's plan, and
// reports false, having sent nothing, when the page must be rendered by
// its template instead. A browser that takes gzip gets the plan's
// precompressed pieces (survey_plan_gzip.go), brotli-only browsers and
// the rest the plain page as writePage sends it.
func (s *Server) plannedPage(c echo.Context, st *survey.Study, who *store.Respondent, lang string) (bool, error) {
	languages := offersLanguages(st, who)
	plan := s.plans.get(planKey{st.ID, lang, languages}, st, func() *frontend.SurveyPlan {
		p, err := frontend.PlanSurvey(func(token string) frontend.SurveyPage {
			return surveyModel(st, lang, token, languages, func(q *survey.Question) []survey.Option { return q.Options })
		})
		if err != nil {
			s.log.Warn("survey page: no plan, rendering each page", "study", st.ID, "err", err)
			return nil
		}
		return p
	})
	if plan == nil {
		return false, nil
	}
	v := frontend.SurveyValues{Token: c.QueryParam("t"), Started: st.StartStamp(who.Hash, time.Now()), Nonce: newNonce(),
		Orders: make([][]string, len(st.Questions))}
	for i := range st.Questions {
		q := &st.Questions[i]
		if len(q.Options) == 0 {
			continue
		}
		keys := make([]string, 0, len(q.Options))
		for _, o := range q.OptionOrder(who.Hash) {
			keys = append(keys, o.Key)
		}
		v.Orders[i] = keys
	}
	buf := pageBuffers.Get().(*bytes.Buffer)
	buf.Reset()
	// The response is written before this returns: the buffer is free again.
	defer pageBuffers.Put(buf)
	if frontend.Accepts(c.Request().Header.Get("Accept-Encoding"), frontend.EncodingGzip) {
		if !plan.FillGzip(buf, v) {
			return false, nil
		}
		pageHeaders(c, v.Nonce, frameAncestors(st), "no-referrer")
		c.Response().Header().Set("Content-Encoding", frontend.EncodingGzip)
		return true, c.Blob(http.StatusOK, echo.MIMETextHTMLCharsetUTF8, buf.Bytes())
	}
	if !plan.Fill(buf, v) {
		return false, nil
	}
	return true, writePage(c, http.StatusOK, buf.Bytes(), v.Nonce, frameAncestors(st), "no-referrer")
}

// pageBuffers hold filled pages between requests: a page is some 10 KB,
// and allocating it for each was half of a planned page's garbage.
var pageBuffers = sync.Pool{New: func() any { b := new(bytes.Buffer); b.Grow(16 << 10); return b }}

// get returns the plan of k for st, making it with build when there is
// none or st's page differs from the one it was made from.
func (c *planCache) get(k planKey, st *survey.Study, build func() *frontend.SurveyPlan) *frontend.SurveyPlan {
	c.mu.Lock()
	e, ok := c.plans[k]
	if ok && (e.study == st || e.building) {
		c.mu.Unlock()
		return e.plan
	}
	if c.plans == nil || len(c.plans) >= maxPlans {
		c.plans = map[planKey]planEntry{}
	}
	building := e
	building.building = true
	c.plans[k] = building
	c.mu.Unlock()
	fp := studyFingerprint(st)
	p := e.plan
	if !ok || fp != e.fingerprint {
		p = build()
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.plans[k] = planEntry{study: st, fingerprint: fp, plan: p}
	return p
}
