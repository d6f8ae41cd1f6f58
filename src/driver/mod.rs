//! The drivers: each command runs the stages (load → parse → model → link → render →
//! write) its own way. `build` renders every route into the output folder, `check`
//! renders nothing, `serve` renders a route when a browser asks for it; `new`, `init`,
//! `init --detect`, `init --ci` and `diff` are tools around them. Stages never import a
//! driver; drivers import stages and [`build`], the shared sequence of stages.

pub mod build;
pub mod check;
pub mod ci;
pub mod cli;
pub mod detect;
pub mod diff;
pub mod report;
pub mod scaffold;
pub mod serve;
