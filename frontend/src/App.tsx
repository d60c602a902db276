import { useEffect } from 'react';
import { BrowserRouter, Navigate, Route, Routes, useLocation, useNavigate } from 'react-router';
import { setUnauthorizedHandler } from './api';
import { Layout, RequireAuth } from './components/Layout';
import { ApiKeysPage } from './pages/ApiKeysPage';
import { AuthPage } from './pages/AuthPage';
import { EditStreamPage } from './pages/EditStreamPage';
import { NewStreamPage } from './pages/NewStreamPage';
import { NotFoundPage } from './pages/NotFoundPage';
import { SecurityPage } from './pages/SecurityPage';
import { StreamPage } from './pages/StreamPage';
import { StreamsPage } from './pages/StreamsPage';
import { VodPage } from './pages/VodPage';
import { VodsPage } from './pages/VodsPage';
import { WatchPage } from './pages/WatchPage';
import { WebhooksPage } from './pages/WebhooksPage';

/** A 401 anywhere sends the user to /login (the API client already cleared the session and left a message). */
function SessionExpiryRedirect() {
  const navigate = useNavigate();
  const location = useLocation();
  const here = location.pathname + location.search;
  useEffect(() => {
    setUnauthorizedHandler(() => {
      if (!here.startsWith('/login')) navigate('/login', { replace: true, state: { from: here } });
    });
    return () => setUnauthorizedHandler(null);
  }, [navigate, here]);
  return null;
}

export function AppRoutes() {
  return (
    <>
      <SessionExpiryRedirect />
      <Routes>
        <Route element={<Layout />}>
          <Route path="/login" element={<AuthPage mode="login" />} />
          <Route path="/signup" element={<AuthPage mode="signup" />} />
          <Route path="/watch/:id" element={<WatchPage />} />
          <Route element={<RequireAuth />}>
            <Route index element={<Navigate to="/streams" replace />} />
            <Route path="/streams" element={<StreamsPage />} />
            <Route path="/streams/new" element={<NewStreamPage />} />
            <Route path="/streams/:id" element={<StreamPage />} />
            <Route path="/streams/:id/edit" element={<EditStreamPage />} />
            <Route path="/vods" element={<VodsPage />} />
            <Route path="/vods/:id" element={<VodPage />} />
            <Route path="/webhooks" element={<WebhooksPage />} />
            <Route path="/api-keys" element={<ApiKeysPage />} />
            <Route path="/security" element={<SecurityPage />} />
          </Route>
          <Route path="*" element={<NotFoundPage />} />
        </Route>
      </Routes>
    </>
  );
}

export function App() {
  return (
    <BrowserRouter>
      <AppRoutes />
    </BrowserRouter>
  );
}
