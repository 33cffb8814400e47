/** A profile file as the original Python tool writes it: its field names, units in strings, days as text. */
export const PYTHON = {
  name: 'Alex <The & Rider>',
  FTP: '265w',
  weight: '70kg',
  max_HR: 190,
  critical_HR: 170,
  age: 35,
  training_availability: { hours_per_week: 10, week_days: 'Tuesday, Wednesday, Thursday, Saturday, Sunday' },
  training_plan_weeks: 12,
  goals: ['Finish the Marmotte, strong; happy', 'Climb <better> & faster'],
};
