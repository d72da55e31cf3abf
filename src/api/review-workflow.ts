// The staff review workflow of an intake, as data: which step may follow which. Pure, so the API, the app and the
// tests read one table. A wrong move is refused (409) naming the moves that are allowed, never silently applied.

export const REVIEW_STATUSES = ['new', 'called_back', 'consultation_booked', 'declined', 'not_a_fit'] as const;
export type ReviewStatus = (typeof REVIEW_STATUSES)[number];

/** From each step, where staff may go. Declined and not-a-fit may be reopened (a caller rings back). */
export const REVIEW_MOVES: Readonly<Record<ReviewStatus, readonly ReviewStatus[]>> = {
  new: ['called_back', 'declined', 'not_a_fit'],
  called_back: ['consultation_booked', 'declined', 'not_a_fit'],
  consultation_booked: ['declined'],
  declined: ['new'],
  not_a_fit: ['new'],
};

export function isReviewStatus(v: unknown): v is ReviewStatus {
  return typeof v === 'string' && (REVIEW_STATUSES as readonly string[]).includes(v);
}

export function canMove(from: ReviewStatus, to: ReviewStatus): boolean {
  return REVIEW_MOVES[from].includes(to);
}
