import type { RuleInfo } from './rule';

/**
 * A file above the size limit is not analysed (it would make every keystroke slow); the finding says so, so that
 * silence is never mistaken for a clean bill of health. Raised by the project, not by a check of its own.
 */
export const fileSkipped: RuleInfo = {
  code: 'EGR004',
  name: 'file-too-large',
  title: 'The file is too large to analyse as you type',
  severity: 'info',
};
