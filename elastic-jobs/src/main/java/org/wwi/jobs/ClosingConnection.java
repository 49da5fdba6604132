package org.wwi.jobs;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;

/** A connection that tells its {@link RunningAttempt} when it is closed, so that cancels skip it. */
final class ClosingConnection implements InvocationHandler {
    private final Connection target;
    private final RunningAttempt running;

    ClosingConnection(Connection target, RunningAttempt running) {
        this.target = target;
        this.running = running;
    }

    Connection proxy() {
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
                this);
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
        if (method.getName().equals("close") && method.getParameterCount() == 0) {
            running.closed(target);
        }
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
