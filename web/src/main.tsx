import { createRoot } from 'react-dom/client';
import './styles.css';
import './fonts.css';
import './i18n/index';
import { App } from './App';

createRoot(document.getElementById('root')!).render(<App />);
