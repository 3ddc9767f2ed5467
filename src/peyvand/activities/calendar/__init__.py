"""The calendar: day, week and month views of activities, Iran's holidays, moving activities."""
