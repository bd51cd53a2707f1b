//! Periods: ISO weeks (`2026-W04`) and calendar months (`2026-01`), with their first and last
//! day and a calendar index, computed as Polars expressions.

use polars::prelude::*;

use super::base::col;
pub use super::base::Period;

/// Days from 1970-01-01 (a Thursday) to the Monday 1970-01-05, so week indices start on Mondays.
const FIRST_MONDAY: i32 = 4;

impl Period {
    /// `period`, `period_start`, `period_end` and `period_index` for a date expression.
    pub fn columns(self, date: Expr) -> [Expr; 4] {
        match self {
            Period::Week => {
                let start = date.clone().dt().truncate(lit("1w"));
                [
                    date.dt().strftime("%G-W%V").alias(col::PERIOD),
                    start.clone().alias(col::PERIOD_START),
                    start.clone().dt().offset_by(lit("6d")).alias(col::PERIOD_END),
                    // Whole weeks since the first Monday of 1970.
                    ((start.cast(DataType::Int32) - lit(FIRST_MONDAY)) / lit(7))
                        .cast(DataType::Int64)
                        .alias(col::PERIOD_INDEX),
                ]
            }
            Period::Month => [
                date.clone().dt().strftime("%Y-%m").alias(col::PERIOD),
                date.clone().dt().month_start().alias(col::PERIOD_START),
                date.clone().dt().month_end().alias(col::PERIOD_END),
                (date.clone().dt().year().cast(DataType::Int64) * lit(12i64)
                    + date.dt().month().cast(DataType::Int64))
                .alias(col::PERIOD_INDEX),
            ],
        }
    }
}
