export * from './types';
export * from './endpoints';
export * from './apiKeys';
export { ApiError, isApiError, isUnavailable, setUnauthorizedHandler, SESSION_EXPIRED_MESSAGE, SESSION_ENDED_MESSAGE } from './client';
export { subscribeStatusEvents, type ConnectionState } from './events';
export {
  getSession,
  setSession,
  clearSession,
  onSessionChange,
  hasExpiredSession,
  setFlash,
  peekFlash,
  clearFlash,
  type Session,
} from './session';
