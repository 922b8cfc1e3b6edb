import { formatScheduleTime } from '../items/schedule-time';
import { STATUS_LABELS } from '../workflow/item-status';

/** Formatting helpers every content view uses. */
export const viewHelpers = { fmt: formatScheduleTime, statusLabels: STATUS_LABELS };
