package io.pollingevents.poll;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Captures what one class logs, at every level, while open; what the operator reads in the log is part of the
 * behaviour (a poll's result line says "see log" for the records it skipped).
 */
final class LogCapture implements AutoCloseable {
    /** One captured log line: its level and formatted message. */
    record Line(Level level, String message) {
    }

    private final List<Line> lines = new CopyOnWriteArrayList<>();
    private final String loggerName;
    private final LoggerContext context;
    private final AbstractAppender appender;

    private LogCapture(Class<?> type) {
        loggerName = type.getName();
        context = (LoggerContext) LogManager.getContext(false);
        appender = new AbstractAppender("capture-" + loggerName, null, null, true, Property.EMPTY_ARRAY) {
            @Override
            public void append(LogEvent event) {
                lines.add(new Line(event.getLevel(), event.getMessage().getFormattedMessage()));
            }
        };
        appender.start();
        Configuration config = context.getConfiguration();
        LoggerConfig logger = new LoggerConfig(loggerName, Level.ALL, false);
        logger.addAppender(appender, Level.ALL, null);
        config.addLogger(loggerName, logger);
        context.updateLoggers();
    }

    static LogCapture of(Class<?> type) {
        return new LogCapture(type);
    }

    List<Line> lines() {
        return List.copyOf(lines);
    }

    /** The messages logged at the level. */
    List<String> at(Level level) {
        return lines.stream().filter(l -> l.level() == level).map(Line::message).toList();
    }

    @Override
    public void close() {
        context.getConfiguration().removeLogger(loggerName);
        context.updateLoggers();
        appender.stop();
    }
}
