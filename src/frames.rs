//! Reading values out of collected frames, for the few places that turn results into text
//! (the terminal summary, reports). Missing columns are programming errors and say so.

use chrono::NaiveDate;
use polars::prelude::*;

/// A string column; nulls become empty strings.
pub fn strings(df: &DataFrame, name: &str) -> PolarsResult<Vec<String>> {
    Ok(df.column(name)?.str()?.iter().map(|v| v.unwrap_or_default().to_string()).collect())
}

/// A float column.
pub fn floats(df: &DataFrame, name: &str) -> PolarsResult<Vec<Option<f64>>> {
    Ok(df.column(name)?.cast(&DataType::Float64)?.f64()?.iter().collect())
}

/// An integer column; nulls become 0.
pub fn ints(df: &DataFrame, name: &str) -> PolarsResult<Vec<i64>> {
    Ok(df.column(name)?.cast(&DataType::Int64)?.i64()?.iter().map(|v| v.unwrap_or(0)).collect())
}

/// A boolean column; nulls become false.
pub fn bools(df: &DataFrame, name: &str) -> PolarsResult<Vec<bool>> {
    Ok(df.column(name)?.bool()?.iter().map(|v| v.unwrap_or(false)).collect())
}

/// A date column.
pub fn dates(df: &DataFrame, name: &str) -> PolarsResult<Vec<Option<NaiveDate>>> {
    let epoch = NaiveDate::from_ymd_opt(1970, 1, 1).expect("epoch");
    Ok(df
        .column(name)?
        .cast(&DataType::Int32)?
        .i32()?
        .iter()
        .map(|d| d.map(|d| epoch + chrono::Duration::days(i64::from(d))))
        .collect())
}

/// Rows of `df` where `column == value`.
pub fn where_eq(df: &DataFrame, column: &str, value: &str) -> PolarsResult<DataFrame> {
    df.clone().lazy().filter(col(column).eq(lit(value))).collect()
}
