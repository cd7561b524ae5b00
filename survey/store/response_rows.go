package store

import (
	"time"

	"github.com/brandlift/brandlift/survey"
)

// responseRow is the responses table.
type responseRow struct {
	StudyID        string `gorm:"primaryKey"`
	ID             string `gorm:"primaryKey"`
	Respondent     string
	Grp            string
	Status         string
	Flags          string
	CellID         string
	Attrs          jsonColumn[map[string]string]
	Locale         string
	Device         string
	Frequency      *int
	StartedAt      *time.Time
	CompletedAt    time.Time
	DurationMs     *int64
	ConsentAt      *time.Time
	ConsentHash    string
	ConsentVersion *int
	AnswersJSON    jsonColumn[survey.Answers] `gorm:"column:answers"`
}

func (responseRow) TableName() string { return "responses" }

// cellRow is the cells table.
type cellRow struct {
	StudyID         string `gorm:"primaryKey"`
	ID              string `gorm:"primaryKey"`
	Attrs           jsonColumn[map[string]string]
	Device          string
	FrequencyBucket string
}

func (cellRow) TableName() string { return "cells" }

// tallyRow is the tallies table.
type tallyRow struct {
	StudyID     string `gorm:"primaryKey"`
	CellID      string `gorm:"primaryKey"`
	Grp         string `gorm:"primaryKey"`
	Flagged     bool   `gorm:"primaryKey"`
	QuestionKey string `gorm:"primaryKey"`
	Slot        string `gorm:"primaryKey"`
	N           int64
}

func (tallyRow) TableName() string { return "tallies" }

// dailyTallyRow is the daily_tallies table.
type dailyTallyRow struct {
	StudyID     string `gorm:"primaryKey"`
	Day         string `gorm:"primaryKey"`
	Grp         string `gorm:"primaryKey"`
	Flagged     bool   `gorm:"primaryKey"`
	QuestionKey string `gorm:"primaryKey"`
	Slot        string `gorm:"primaryKey"`
	N           int64
}

func (dailyTallyRow) TableName() string { return "daily_tallies" }

// groupCountRow is the group_counts table.
type groupCountRow struct {
	StudyID string `gorm:"primaryKey"`
	Grp     string `gorm:"primaryKey"`
	Flags   string `gorm:"primaryKey"`
	N       int64
}

func (groupCountRow) TableName() string { return "group_counts" }

// durationRow is the durations table.
type durationRow struct {
	StudyID string `gorm:"primaryKey"`
	Seconds int    `gorm:"primaryKey"`
	N       int64
}

func (durationRow) TableName() string { return "durations" }

// exposureRow is the exposures table.
type exposureRow struct {
	StudyID    string `gorm:"primaryKey"`
	Respondent string `gorm:"primaryKey"`
	FirstSeen  time.Time
	LastSeen   time.Time
	Count      int64
	Creative   string
	Placement  string
}

func (exposureRow) TableName() string { return "exposures" }
