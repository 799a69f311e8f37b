import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import 'uplot/dist/uPlot.min.css';
import './styles.css';
import { App } from './App';
import { ToastProvider } from './components/Toasts';
import { AppDataProvider } from './state/app-data';
import { RefreshProvider } from './state/refresh';
import { TimeZoneProvider } from './state/time';

const root = document.getElementById('root');
if (root === null) throw new Error('index.html has no #root');

createRoot(root).render(
  <StrictMode>
    <TimeZoneProvider>
      <RefreshProvider>
        <ToastProvider>
          <AppDataProvider>
            <App />
          </AppDataProvider>
        </ToastProvider>
      </RefreshProvider>
    </TimeZoneProvider>
  </StrictMode>,
);
