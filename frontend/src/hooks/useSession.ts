import { useEffect, useState } from 'react';
import { getSession, onSessionChange, type Session } from '../api';

export function useSession(): Session | null {
  const [session, setSession] = useState(getSession);
  useEffect(() => onSessionChange(setSession), []);
  return session;
}
