export const TESTING_PLACEHOLDER = 1;
